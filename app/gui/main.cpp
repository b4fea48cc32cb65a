// weft: the desktop viewer. `weft [FILE]` opens FILE once the window is up; `weft --attach PID|ADDRESS`
// attaches to a running instrumented process instead.

#include "app/main_window.h"
#include "app/resources.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#ifndef WEFT_VERSION
#define WEFT_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Weft"));
    QApplication::setApplicationName(QStringLiteral("weft"));
    QApplication::setApplicationDisplayName(QStringLiteral("Weft"));
    QApplication::setApplicationVersion(QStringLiteral(WEFT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("weft"));
    weft::ui::registerResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/weft.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Trace viewer and profiler for async programs"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption attach(
        {QStringLiteral("a"), QStringLiteral("attach")},
        QStringLiteral("Attach to a running instrumented process: a pid, unix:PATH, tcp:127.0.0.1:PORT or a discovery file"),
        QStringLiteral("PID|ADDRESS"));
    const QCommandLineOption token(QStringLiteral("token"), QStringLiteral("Token to present with --attach (default: "
                                                                           "from the process's discovery file)"),
                                   QStringLiteral("TOKEN"));
    parser.addOption(attach);
    parser.addOption(token);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A trace to open: .weft, or Chrome trace-event JSON (plain or gzip)"),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    weft::ui::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (parser.isSet(attach))
        window.attachTo(parser.value(attach), parser.value(token));
    else if (!files.isEmpty())
        window.openFile(files.first());
    return app.exec();
}
