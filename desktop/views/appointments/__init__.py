"""The appointments screen, one module per job: ``screen`` holds ``AppointmentsScreen``,
which loads the day plan and hosts the parts (the day calendar itself, ``DayView``, is
``desktop.widgets.calendar``); ``queue`` the walk-in queue beside the day (``QueuePanel``)
and the dialog that adds a walk-in (``WalkInDialog``); ``rota`` the managers' rota and
booking rules (``RotaPanel``); ``models`` the tables of the counter's list and the queue."""

from desktop.views.appointments.queue import QueuePanel, WalkInDialog
from desktop.views.appointments.rota import RotaPanel
from desktop.views.appointments.screen import AppointmentsScreen

__all__ = ["AppointmentsScreen", "QueuePanel", "RotaPanel", "WalkInDialog"]
