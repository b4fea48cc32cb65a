#include "live/attach_dialog.h"

#include "format/live_protocol.h"
#include "query/time_format.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <chrono>

namespace weft::ui {

namespace {

QString runningFor(uint64_t start_time_ns) {
    if (start_time_ns == 0) return QString();
    const qint64 now_ms = QDateTime::currentMSecsSinceEpoch();
    const qint64 seconds = std::max<qint64>(0, (now_ms - static_cast<qint64>(start_time_ns / 1'000'000)) / 1000);
    return QString::fromStdString(format_uptime(static_cast<uint64_t>(seconds)));
}

} // namespace

AttachDialog::AttachDialog(QWidget* parent)
    : QDialog(parent), m_list(new QTreeWidget(this)), m_address(new QLineEdit(this)), m_token(new QLineEdit(this)),
      m_error(new QLabel(this)), m_empty(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)), m_timer(new QTimer(this)) {
    setWindowTitle(tr("Attach to Process"));
    resize(720, 420);

    auto* intro = new QLabel(tr("Instrumented processes of this user that are serving their trace:"), this);
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Program"), tr("PID"), tr("Running for"), tr("Address")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(Exe, 220);
    m_list->setColumnWidth(Pid, 70);
    m_list->setColumnWidth(Running, 110);

    m_empty->setText(tr("No instrumented process is listening. Start one with <code>WEFT_LISTEN=unix</code> "
                        "(C++) or <code>python3 -m weft_asyncio --listen unix script.py</code>, or enter an "
                        "address below."));
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);

    m_address->setPlaceholderText(tr("unix:/path/to/socket, tcp:127.0.0.1:7878, or a pid"));
    m_address->setClearButtonEnabled(true);
    m_token->setPlaceholderText(tr("only for TCP addresses without a discovery file"));
    m_token->setClearButtonEnabled(true);
    auto* manual = new QFormLayout;
    manual->addRow(tr("&Address:"), m_address);
    manual->addRow(tr("&Token:"), m_token);

    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();

    m_refresh = m_buttons->addButton(tr("&Refresh"), QDialogButtonBox::ResetRole);
    m_attach = m_buttons->addButton(tr("&Attach"), QDialogButtonBox::AcceptRole);
    m_attach->setDefault(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_empty);
    layout->addSpacing(6);
    layout->addWidget(new QLabel(tr("Or attach to an address:"), this));
    layout->addLayout(manual);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_refresh, &QPushButton::clicked, this, &AttachDialog::refresh);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_attach, &QPushButton::clicked, this, &AttachDialog::requestAttach);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &AttachDialog::requestAttach);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item) m_address->clear();
        updateButtons();
    });
    connect(m_address, &QLineEdit::textEdited, this, [this](const QString& text) {
        if (!text.isEmpty()) m_list->setCurrentItem(nullptr);
        updateButtons();
    });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &AttachDialog::refresh);
    m_timer->start();
    refresh();
}

void AttachDialog::refresh() {
    const QTreeWidgetItem* current = m_list->currentItem();
    const QString currentPid = current ? current->text(Pid) : QString();
    const std::vector<format::live::Discovery> found = format::live::list_discovered();
    m_list->clear();
    for (const format::live::Discovery& d : found) {
        auto* item = new QTreeWidgetItem(m_list);
        const QString exe = QString::fromStdString(d.exe);
        item->setText(Exe, QFileInfo(exe).fileName().isEmpty() ? exe : QFileInfo(exe).fileName());
        item->setToolTip(Exe, exe);
        item->setText(Pid, QString::number(d.pid));
        item->setText(Running, runningFor(d.start_time_ns));
        item->setText(Address, QString::fromStdString(d.address));
        item->setData(Exe, Qt::UserRole, QString::fromStdString(d.file));
        if (item->text(Pid) == currentPid) m_list->setCurrentItem(item);
    }
    // Preselect the only candidate: the common case is one program under test.
    if (!m_list->currentItem() && m_list->topLevelItemCount() == 1 && m_address->text().isEmpty())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    m_empty->setVisible(found.empty());
    updateButtons();
}

void AttachDialog::updateButtons() {
    m_attach->setEnabled(!m_busy && (m_list->currentItem() || !m_address->text().trimmed().isEmpty()));
}

void AttachDialog::showError(const QString& text) {
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

std::optional<live::AttachTarget> AttachDialog::chosenTarget() {
    std::string error;
    std::optional<live::AttachTarget> target;
    const QString address = m_address->text().trimmed();
    if (!address.isEmpty()) {
        target = live::resolve_target(address.toStdString(), m_token->text().trimmed().toStdString(), error);
    } else if (const QTreeWidgetItem* item = m_list->currentItem()) {
        // The discovery file names the process exactly, even if its pid was reused meanwhile.
        const QString file = item->data(Exe, Qt::UserRole).toString();
        target = live::resolve_target((file.isEmpty() ? item->text(Pid) : file).toStdString(), {}, error);
    } else {
        error = tr("Pick a process or enter an address.").toStdString();
    }
    if (!target) showError(QString::fromStdString(error));
    return target;
}

void AttachDialog::requestAttach() {
    showError(QString());
    const std::optional<live::AttachTarget> target = chosenTarget();
    if (!target) return;
    m_busy = true;
    updateButtons();
    emit attachRequested(*target);
}

void AttachDialog::attachSucceeded() {
    m_busy = false;
    m_timer->stop();
    accept();
}

void AttachDialog::attachFailed(const QString& reason) {
    m_busy = false;
    showError(reason);
    updateButtons();
}

} // namespace weft::ui
