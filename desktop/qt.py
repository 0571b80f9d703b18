"""Every Qt import of the desktop package goes through here, so the binding and its
version live in one place."""

from PySide6.QtCore import (  # noqa: F401
    QAbstractItemModel, QAbstractListModel, QAbstractTableModel, QByteArray, QCoreApplication, QDate, QDateTime, QEvent,
    QItemSelectionModel, QLibraryInfo, QLocale, QModelIndex, QObject, QPersistentModelIndex, QPoint,
    QRect, QRunnable, QSettings, QSize, QSortFilterProxyModel, QStandardPaths, Qt, QThread,
    QThreadPool, QTime, QTimer, QTranslator, QUrl, Signal, Slot,
)
from PySide6.QtGui import (  # noqa: F401
    QAction, QCloseEvent, QColor, QFont, QFontDatabase, QFontMetrics, QGuiApplication, QIcon, QImage, QKeyEvent,
    QKeySequence, QMouseEvent, QPaintEvent, QPainter, QPalette, QPixmap, QShortcut, QValidator,
)
from PySide6.QtWidgets import (  # noqa: F401
    QAbstractButton, QAbstractItemView, QApplication, QBoxLayout, QButtonGroup, QCheckBox, QComboBox, QDialog,
    QDialogButtonBox, QDoubleSpinBox,
    QFileDialog,
    QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLayout, QLineEdit,
    QListView, QListWidget, QListWidgetItem, QMainWindow, QMenu, QMessageBox, QProgressBar, QPushButton,
    QRadioButton, QScrollArea, QSizePolicy, QSpacerItem, QSpinBox, QSplitter, QStackedWidget, QStatusBar,
    QStyle, QTableView, QTabWidget, QTextEdit, QToolButton, QVBoxLayout, QWidget,
)
