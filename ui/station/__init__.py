"""The packing station screens: log-in (or, on a new database, the first-run screen that
makes its owner), the queue between packs, the pack in progress.

* ``screens.StationScreens`` puts them together in the window, with the status banner
  (``banner``), its sounds (``sounds``) and the *type a code* box.
* ``controller.StationController`` (on ``pack_steps.PackSteps`` and ``calls.SerialCalls``)
  is the state machine: every ``AppServices`` call goes through ``run_in_background``,
  one at a time, and the results come back as signals on the GUI thread.
* ``wedge_filter.WedgeKeyFilter`` captures a keyboard-wedge scanner whatever has the focus.
* ``station_menu.StationMenu`` adds the Station menu's command sheet, *Change shipping
  service…* (``service_dialog``), *Show last label* (``last_label``), *Void a shipment…*
  (``void_dialog``) and *Manifests…*; ``manager_sign_in`` asks for a manager's badge or PIN.
* ``service_quote.ServiceQuotes`` keeps the open order's service and price for the header.
* ``label_preview`` draws a label description on screen (the third renderer, beside ZPL
  and PDF); ``zpl_preview`` roughly draws ZPL that has no description (a carrier's label).
* ``login_view``, ``idle_view``, ``pack_view`` (``order_header``, ``lines_model``,
  ``weight_panel``) only show plain data; ``sim_panel`` serves the demo.

Threading: every widget and the controller live on the GUI thread; nothing here blocks it.
"""
