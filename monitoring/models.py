# The monitoring app keeps no tables of its own: it reads the other apps' records.
from registrations.models import AccessLog

# What this app writes to the access log.
EXPORT_WORKBOOK = AccessLog.define_action("export", "Mengekspor rekap Excel")
