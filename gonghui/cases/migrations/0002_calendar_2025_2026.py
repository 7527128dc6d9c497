"""Once loaded the 2025/2026 holidays by hand. The official calendar now comes from the chinese-calendar
package (gonghui/core/workdays.py) and the table holds only overrides, so on a new database this step
loads nothing; on an existing one core 0004 removes the rows the package already says."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = []
