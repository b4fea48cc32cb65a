// weft: the desktop viewer. `weft [FILE]` opens FILE once the window is up.

#include "app/main_window.h"

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
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/weft.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Trace viewer and profiler for async programs"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A .weft trace to open"), QStringLiteral("[FILE]"));
    parser.process(app);

    weft::ui::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) window.openFile(files.first());
    return app.exec();
}
