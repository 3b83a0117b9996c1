"""The workspace window: the signed-in person and the navigation of the screens their role
may use (``ui.workspace``) — the Station (log-in, the queue between packs, the pack in
progress) for everyone; Manifests (and, as they are built, the other desk screens) for
managers and owners — the status banner, the device bar, and the database in the status bar.

Signing in happens on the Station screen (badge or PIN); the person signed in there is the
workspace's actor, handed to every screen; logging out returns to the Station's log-in.
While another screen is shown, the station's keys (F2, F9, Esc, Enter …) are off and a
non-wedge scanner's scans go to that screen (a wedge types into its focused widget).

Never blocks: use cases run through ``run_in_background`` (see ``ui.station``). Views follow
changes instead of polling: what this window's use cases changed arrives from
``app.changes``, what other stations changed from the change listener (PostgreSQL
LISTEN/NOTIFY, the SQLite change counter); both are table names, gathered for a moment
(``CHANGES_SETTLE_MS``) and then every view built from a touched table reloads — the
packing queue, and each screen (at once if shown, when next shown otherwise). F5 reloads
the queue by hand.

Database outages (``ui.db_health``): while ``context.health`` says the database is
offline, a red strip above every screen says so, the Station keeps its pack on screen and
refuses scans and shipping in plain words (``StationController.set_online``); when it is
back the strip goes, the Station re-reads its pack, the queue and the shown screen reload
(the others when next shown). A read that failed for the outage is thus asked again.

Devices: ``LiveDevices`` adapters over ``context.devices`` start when the window is first
shown and feed the device bar and the station screens (the wedge key filter captures the
scanner's keys). Station → Device settings… (Ctrl+,) pauses them while the dialog is open
(so a test never fights the window for a port, and the dialog's scan box gets the keys)
and, when it closes, reopens the devices from the settings, saved or not
(``devices_changed`` tells listeners). Closing the window stops every device; an open
pack stays open in the database and is resumed at the next log-in.

Weights show in the site's unit (``app.site.weight_unit``, asked in the background at
start — the system locale's guess until it arrives — and again whenever ``site_settings``
changes, here or at another station): the scale panel and its range, the device bar, the
manager's accept dialog and the desk screens all follow it. The Station menu's
command sheet, void and manifests entries are ``ui.station.station_menu``'s.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from fulfilstation.app_context import AppContext
from fulfilstation.changes import touches
from fulfilstation.devices import Devices, open_devices
from fulfilstation.domain.commands import StationCommand
from fulfilstation.domain.roles import Permission
from fulfilstation.health import is_connection_error
from fulfilstation.services.actor import Actor
from fulfilstation.services.packing import QueueSnapshot
from fulfilstation.settings import StationSettings
from ui.bins import BinsScreen
from ui.carriers import CarriersScreen
from ui.change_notifier import ChangeNotifier
from ui.counts import CountsScreen
from ui.db_health import HealthNotifier, OfflineStrip
from ui.devices import LiveDevices
from ui.devices.describe import preferred_weight_unit
from ui.integrations import IntegrationsScreen
from ui.manifests_view import ManifestsView
from ui.orders import OrdersScreen
from ui.picking import PickingScreen
from ui.products import ProductsScreen
from ui.receiving import ReceivingScreen
from ui.replenishment import ReplenishmentScreen
from ui.reports import ReportsScreen
from ui.returns import ReturnsScreen
from ui.settings_dialog import StationSettingsDialog
from ui.shipments import ShipmentsScreen
from ui.site_settings_dialog import SiteSettingsDialog
from ui.station.screens import StationScreens
from ui.station.sim_panel import SimDock
from ui.station.station_menu import StationMenu
from ui.station.weight_override_dialog import WeightOverrideDialog
from ui.stock import StockScreen
from ui.users.screen import UsersScreen
from ui.widgets.busy_indicator import BusyIndicator
from ui.widgets.device_bar import DeviceBar
from ui.widgets.fit_text import ElidedLabel
from ui.widgets.screen_fit import fitted, place_on_screen
from ui.worker import run_in_background
from ui.workspace.navigation import Navigation
from ui.workspace.screen import Screen

STATION = "station"

CHANGES_SETTLE_MS = 150
QUEUE_SETTLE_MS = 300  # the queue loads this long after the first request (a ship's own screen change first)
QUEUE_TABLES = ("orders", "order_lines", "pack_sessions", "shipments", "allocations")
SITE_TABLES = ("site_settings",)  # the weight unit lives there
log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    devices_changed = Signal(object)  # Devices, after the device settings dialog closed
    changes_applied = Signal(object)  # frozenset of the tables whose views were just reloaded
    _changed_here = Signal(object)  # tables a use case of this window changed (from a worker thread)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        context.printers.use(context.devices)  # the use cases print on what this window has open
        self.setWindowTitle(f"FulfilStation — {context.station.name}")
        self.resize(fitted(QSize(1280, 800), self))
        self._loading = False
        self._queue_again = False
        self._queue_stale = False  # a change came while a pack was on screen: load when it ends
        self._queue_soon = QTimer(self)  # requests within QUEUE_SETTLE_MS load the queue once
        self._queue_soon.setSingleShot(True)
        self._queue_soon.setInterval(QUEUE_SETTLE_MS)
        self._queue_soon.timeout.connect(self._load_queue)
        self.settings_dialog: StationSettingsDialog | None = None
        self._closing = False
        self._placed = False  # moved within the screen at its first show
        self.actor: Actor | None = None
        self.unit = preferred_weight_unit()
        self.screens: dict[str, Screen] = {}
        self.setCentralWidget(self._build_body())
        self._build_screens()
        self.live = LiveDevices(context.devices, self)
        self.device_bar.watch(self.live)
        self.sim_dock = SimDock(self.station.controller, self)
        self.sim_dock.use(self.live)
        self._build_menu()
        self._build_status_bar()
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh_queue)
        self.station.controller.queue_changed.connect(self.refresh_queue)
        self.station.controller.view_changed.connect(self._pack_view_changed)
        self._follow_changes()
        self._follow_health()
        self.show_notices()
        self.refresh_queue()
        self.ask_unit()

    def _build_body(self) -> QWidget:
        self.body = body = QWidget(self)
        self.body_layout = layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 0)
        self.station = StationScreens(self.context, self._new_device_bar(body).unit, self)
        self.station.user_line.setVisible(False)  # the workspace's header says who is signed in
        self.menu_actions = StationMenu(self, self.station, lambda: self.context, lambda: self.unit,
                                        navigate=self.show_screen)
        self.banner = self.station.banner
        self.queue_model = self.station.idle.queue_model
        self.counts = self.station.idle.counts
        self.table = self.station.idle.table
        self.header = QWidget(self)  # who is signed in, beside the menu (``_build_menu``): no row of its own
        self.who = ElidedLabel(self.station.user_line.text(), self.header)
        self.who.setObjectName("stationLine")
        self.log_out_button = QPushButton("Log out", self.header)
        self.log_out_button.clicked.connect(self.log_out)
        self.log_out_button.setVisible(False)
        header = QHBoxLayout(self.header)
        header.setContentsMargins(8, 0, 4, 0)
        header.addWidget(self.who, 1)
        header.addWidget(self.log_out_button)
        self.navigation = Navigation(body)
        self.navigation.add(STATION, "Station", Permission.PACK)
        self.navigation.chosen.connect(self.show_screen)
        self.navigation.setVisible(False)
        self.stack = QStackedWidget(body)
        self.stack.addWidget(self.station)
        self.offline_strip = OfflineStrip(body)
        layout.addWidget(self.offline_strip)
        middle = QHBoxLayout()
        middle.addWidget(self.navigation)
        middle.addWidget(self.stack, 1)
        layout.addLayout(middle, 1)
        layout.addWidget(self.device_bar)
        return body

    def _build_screens(self) -> None:
        """The desk screens, each shown to the roles that may use it."""
        self.add_screen("receiving", ReceivingScreen(self.context.app, self, sounds=self.station.sounds))
        self.add_screen("stock", StockScreen(self.context.app, self, play=self.station.sounds.play))
        self.add_screen("picking", PickingScreen(self.context.app, self, play=self.station.sounds.play))
        self.add_screen("returns", ReturnsScreen(self.context.app, self, sounds=self.station.sounds))
        self.add_screen("counts", CountsScreen(self.context.app, self, play=self.station.sounds.play))
        self.add_screen("orders", OrdersScreen(self.context.app, self))
        self.add_screen("shipments", ShipmentsScreen(self.context.app, self))
        manifests = ManifestsView(self.context.app, self.context.devices.document_printer, weight_unit=self.unit)
        self.add_screen("manifests", manifests)
        self.add_screen("products", ProductsScreen(self.context.app, self))
        self.add_screen("users", UsersScreen(self.context.app, self))
        self.add_screen("carriers", CarriersScreen(self.context.app, self))
        self.add_screen("bins", BinsScreen(self.context.app, self))
        self.add_screen("integrations", IntegrationsScreen(self.context.app, self))  # and its sync schedule
        self.add_screen("replenishment", ReplenishmentScreen(self.context.app, self, play=self.station.sounds.play))
        self.add_screen("reports", ReportsScreen(self.context.app, self, navigate=self.show_filtered))
        self.station.controller.user_changed.connect(self._signed_in)

    def _follow_changes(self) -> None:
        self._pending_changes: set[str] = set()
        self._stale: set[str] = set()  # screens to reload when next shown
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._apply_changes)
        self._changed_here.connect(self.on_changes, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = self.context.app.changes.subscribe(
            lambda changes: self._changed_here.emit(changes.tables))
        listener = self.context.listener
        self.notifier = ChangeNotifier(listener, self) if listener is not None else None
        if self.notifier is not None:
            self.notifier.changed.connect(self.on_changes)

    def _follow_health(self) -> None:
        health = self.context.health
        self.health = HealthNotifier(health, self) if health is not None else None
        if self.health is not None:
            self.health.changed.connect(self.on_health)

    def on_health(self, online: bool, reason: str) -> None:
        """The database went away (False) or is back (True) (GUI thread)."""
        self.offline_strip.show_health(online, reason)
        self.station.controller.set_online(online)
        if not online or self._closing:
            return
        self.refresh_queue()
        current = self.stack.currentWidget()
        for key, screen in self.screens.items():
            if screen is current:
                screen.refresh()
            else:
                self._stale.add(key)

    def on_changes(self, tables: frozenset[str]) -> None:
        """Tables changed here or at another station (GUI thread): reload their views soon."""
        self._pending_changes |= tables
        if not self._settle.isActive():
            self._settle.start(CHANGES_SETTLE_MS)

    def _apply_changes(self) -> None:
        tables, self._pending_changes = frozenset(self._pending_changes), set()
        if self._closing or not tables:
            return
        if touches(tables, *QUEUE_TABLES):
            self.refresh_queue()
        if touches(tables, *SITE_TABLES):
            self.ask_unit()
        current = self.stack.currentWidget()
        for key, screen in self.screens.items():
            if not touches(tables, *screen.watches):
                continue
            if screen is current:
                screen.refresh()
            else:
                self._stale.add(key)
        self.changes_applied.emit(tables)

    def add_screen(self, key: str, screen: Screen) -> None:
        self.screens[key] = screen
        self.stack.addWidget(screen)
        self.navigation.add(key, screen.title, screen.permission)

    # ------------------------------------------------------------------ who and where

    def _signed_in(self, actor: Actor | None) -> None:
        """The Station's sign-in (or log-out, None) is the workspace's."""
        self.actor = actor
        self.who.setText(self.station.user_line.text())
        self.log_out_button.setVisible(actor is not None)
        self.site_settings_action.setVisible(actor is not None and actor.may(Permission.SITE_SETTINGS))
        for screen in self.screens.values():
            screen.forget_messages()  # the last person's messages are not the next one's
            screen.set_actor(actor)
        self.navigation.show_for(actor)
        self.show_screen(self.current_key() if actor is not None else STATION)

    def current_key(self) -> str:
        current = self.stack.currentWidget()
        return next((key for key, screen in self.screens.items() if screen is current), STATION)

    def show_screen(self, key: str) -> None:
        """Show the screen ``key`` (when the signed-in role may use it)."""
        screen = self.screens.get(key)
        if screen is None or self.actor is None or not self.navigation.allows(key):
            screen, key = None, STATION
        self.stack.setCurrentWidget(screen or self.station)
        self.navigation.blockSignals(True)
        self.navigation.select(key)
        self.navigation.blockSignals(False)
        for action in self.station.actions_by_command.values():
            action.setEnabled(screen is None or action is self.station.log_out_action)
        self.station.set_away(screen.take_scan if screen is not None else None)
        if screen is not None:
            self._stale.discard(key)
            screen.shown()

    def show_filtered(self, key: str, name: str | None) -> bool:
        """Show the screen ``key`` with its filter ``name`` (a dashboard exception's list): the
        screen is told the filter first, then shown (one load). False, and nothing changes, for
        a screen there is not or the signed-in role may not use."""
        screen = self.screens.get(key)
        if screen is None or self.actor is None or not self.navigation.allows(key):
            return False
        screen.show_filter(name)
        self.show_screen(key)
        return True

    def log_out(self) -> None:
        self.station.controller.command(StationCommand.LOG_OUT)

    def _new_device_bar(self, parent: QWidget) -> DeviceBar:
        devices = self.context.settings.devices
        self.device_bar = DeviceBar({"Scanner": devices.scanner, "Scale": devices.scale,
                                     "Label printer": devices.label_printer,
                                     "Document printer": devices.document_printer or None}, parent, self.unit)
        return self.device_bar

    def ask_unit(self) -> None:
        """Ask the site's weight unit in the background, then show every weight in it."""
        run_in_background(self.context.app.site.weight_unit, self.set_unit,
                          lambda exc: log.warning("the site's weight unit is unknown (%s): %s kept", exc, self.unit),
                          owner=self)

    def set_unit(self, unit: str) -> None:
        """Show weights in ``unit`` (the site's) from now on: the scale panel and its range,
        the device bar, dialogs opened from now on, and the desk screens (reloaded)."""
        changed, self.unit = unit != self.unit, unit
        self.device_bar.set_unit(unit)
        self.station.pack.weight.set_unit(unit)
        if isinstance(self.menu_actions.dialog, WeightOverrideDialog):  # open: it follows too
            self.menu_actions.dialog.set_unit(unit)
        current = self.stack.currentWidget()
        for key, screen in self.screens.items():
            if isinstance(screen, (ManifestsView, ShipmentsScreen, ProductsScreen)):
                screen.unit = unit
                if not changed:
                    continue
                if screen is current:
                    screen.refresh()
                else:
                    self._stale.add(key)

    def _build_menu(self) -> None:
        self.menuBar().setCornerWidget(self.header, Qt.Corner.TopRightCorner)
        station = self.menuBar().addMenu("&Station")
        for action in self.station.actions_by_command.values():
            station.addAction(action)
        station.addSeparator()
        self.menu_actions.add_to(station)
        station.addSeparator()
        self.device_settings_action = QAction("Device settings…", self)
        self.device_settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.device_settings_action.triggered.connect(self.open_device_settings)
        station.addAction(self.device_settings_action)
        self.site_settings_action = QAction("Site settings…", self)  # an owner's: shown to them only
        self.site_settings_action.setVisible(False)
        self.site_settings_action.triggered.connect(self.open_site_settings)
        station.addAction(self.site_settings_action)
        station.addAction(self.sim_dock.menu_action)  # shown only for simulated devices
        self.addAction(self.device_settings_action)  # the shortcut works with the menu bar hidden (full screen)

    def _build_status_bar(self) -> None:
        revision = self.context.schema_revision or "empty"
        self.busy_indicator = BusyIndicator(self)
        self.station.controller.busy_changed.connect(self.busy_indicator.set_busy)
        self.statusBar().addPermanentWidget(self.busy_indicator)
        self.database_line = ElidedLabel(f"{self.context.database_label} · schema {revision}")
        self.statusBar().addPermanentWidget(self.database_line, 1)

    def show_notices(self) -> None:
        if self.context.notices:
            self.set_banner(" ".join(self.context.notices), "warn")

    def set_banner(self, text: str, tone: str) -> None:
        self.banner.show_message(text, tone)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter that no widget took (no focus) on the Station: ship, as Enter in the code box does."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.stack.currentWidget() is self.station:
            self.station.controller.enter()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ queue

    def refresh_queue(self) -> None:
        """Load the packing queue in the background. While a pack is on screen the queue is
        not shown: it is loaded once, when the pack ends, not after every change meanwhile
        (rating a long queue is a few hundred milliseconds of Python that the window's own
        work would wait for, issue #15). It starts ``QUEUE_SETTLE_MS`` after the first request,
        so a ship's own screen change and the requests right after it come first and once."""
        if self.station.controller.view is not None:
            self._queue_stale = True
            return
        self._queue_stale = False
        if not self._queue_soon.isActive():
            self._queue_soon.start()

    def _load_queue(self) -> None:
        if self.station.controller.view is not None:  # a pack began meanwhile: load when it ends
            self._queue_stale = True
            return
        if self._loading:
            self._queue_again = True  # changed while loading: load once more after
            return
        self._queue_again = False
        self._loading = True
        self.statusBar().showMessage("Loading the packing queue…")
        run_in_background(self.context.app.packing.queue, self._queue_loaded, self._queue_failed, owner=self)

    def _pack_view_changed(self, view: object) -> None:
        if view is None and self._queue_stale:  # the ship's own refresh request joins this one (_queue_soon)
            self.refresh_queue()

    def _queue_loaded(self, snapshot: QueueSnapshot) -> None:
        self._loading = False
        if self._queue_again:
            self._load_queue()
        self.queue_model.set_rows(snapshot.orders)
        shipped = snapshot.counts.get("shipped", 0)  # the whole queue's counts, not the listed rows'
        self.counts.setText(f"{snapshot.ready:,} ready to pack · {snapshot.held:,} on hold · {shipped:,} shipped")
        listed, queued = len(snapshot.orders), snapshot.ready + snapshot.held
        self.statusBar().showMessage("Queue up to date" + (f": the first {listed:,} of {queued:,} orders listed"
                                                           if listed < queued else ""), 3000)

    def _queue_failed(self, exc: Exception) -> None:
        from fulfilstation.errors import describe_error

        self._loading = False
        self.statusBar().clearMessage()
        if is_connection_error(exc):  # the strip says it; the queue reloads when the database is back
            self.statusBar().showMessage("The packing queue is not up to date: the database is offline.")
            return
        self.set_banner(describe_error(exc), "error")

    # ------------------------------------------------------------------ devices

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._placed and not self.isFullScreen() and not self.isMaximized():
            self._placed = True  # once: then the person may move it where they like
            place_on_screen(self)
            QTimer.singleShot(0, lambda: place_on_screen(self))  # the window manager's frame is known now
        if not self.live.running and self.settings_dialog is None and not self._closing:
            self.live.start()
            self.station.attach(self.live)

    def open_device_settings(self) -> None:
        """Anyone may look at the device settings and test the devices; saving them is a
        manager's or owner's (the dialog asks for one when the person signed in is not)."""
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        if self.menu_actions.dialog is not None or self._closing:
            return
        actor = self.actor
        if self.context.toolkit is not None:  # without drivers the dialog tests nothing: keep the devices
            self.station.pause()
            self.live.stop()
            self.device_bar.pause("paused while the device settings are open")
        dialog = StationSettingsDialog(self.context, self, unit=self.device_bar.unit, actor=actor)
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(self._settings_closed)
        self.settings_dialog = dialog
        dialog.open()

    def open_site_settings(self) -> None:
        """The site-wide choices an owner makes here (partial shipments; the reports' time zone, targets,
        labour rate and currency); the use cases check the role."""
        if self.actor is None:
            return
        dialog = SiteSettingsDialog(self.context.app, self.actor, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        place_on_screen(dialog)

    def _settings_saved(self, settings: StationSettings) -> None:
        self.context = replace(self.context, settings=settings)

    def _settings_closed(self) -> None:
        dialog, self.settings_dialog = self.settings_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        toolkit = self.context.toolkit
        if toolkit is None or self._closing:
            return
        uris = self.context.settings.devices
        self.statusBar().showMessage("Opening the devices…")
        run_in_background(lambda: open_devices(toolkit, uris), lambda opened: self._use_devices(*opened),
                          lambda exc: self.set_banner(f"The devices could not be opened: {exc}", "error"), owner=self)

    def _use_devices(self, devices: Devices, notices: list[str]) -> None:
        """Show and start ``devices`` (GUI thread). The previous ones were stopped when the
        dialog opened; stopping them again is harmless."""
        if self._closing:  # opened while the window was closing: nobody will use them
            run_in_background(devices.stop_all, lambda _: None, lambda _: None)
            return
        if devices is not self.context.devices:
            old = self.context.devices
            run_in_background(old.stop_all, lambda _: None, lambda _: None)
        self.context = replace(self.context, devices=devices)
        self.context.printers.use(devices)
        manifests = self.screens.get("manifests")
        if isinstance(manifests, ManifestsView):
            manifests.set_printer(devices.document_printer)
        old_bar = self.device_bar
        self.body_layout.replaceWidget(old_bar, self._new_device_bar(self.body))
        old_bar.deleteLater()
        self.live.deleteLater()
        self.live = LiveDevices(devices, self)
        self.device_bar.watch(self.live)
        self.live.start()
        self.station.attach(self.live)
        self.sim_dock.use(self.live)
        self.statusBar().showMessage("Devices ready", 3000)
        if notices:
            self.set_banner(" ".join(notices), "warn")
        self.devices_changed.emit(devices)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._closing = True
        self._settle.stop()
        self._unsubscribe()
        if self.notifier is not None:
            self.notifier.close()
        if self.health is not None:
            self.health.close()
        self.station.close_station()
        if self.settings_dialog is not None:
            self.settings_dialog.close()  # stops what its tests opened
        self.live.stop()
        self.context.devices.stop_all()  # waits for the drivers' threads (the window is going)
        self.context.shutdown()
        super().closeEvent(event)
