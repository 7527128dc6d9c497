"""manage.py scheduled <command> --every <seconds> [-- args]: run a management command from cron on every
app server, and have exactly one of them run it per period (core/jobs.py).

    * * * * *  manage.py scheduled campaigns_prewarm --every 60
    0 * * * *  manage.py scheduled cases_escalate --every 3600
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gonghui.core.jobs import job_lock


class Command(BaseCommand):
    help = "在多台应用服务器上定时运行同一命令时，每个周期只由一台执行（数据库租约）"

    def add_arguments(self, parser):
        parser.add_argument("job", help="要运行的管理命令，例如 cases_escalate")
        parser.add_argument("--every", type=int, required=True, help="周期（秒），与 cron 的间隔一致")
        parser.add_argument("--ttl", type=int, default=None, help="租约时长（秒）；执行者失联后过期被接管")
        parser.add_argument("args", nargs="*", help="传给该命令的参数")

    def handle(self, *args, job, every, ttl, **options):
        if every < 1:
            raise CommandError("--every 应为正整数（秒）")
        with job_lock(job, every=every, ttl=ttl) as mine:
            if not mine:
                self.stdout.write(f"{job}：本周期已由其他服务器执行或正在执行，跳过")
                return
            call_command(job, *args, stdout=self.stdout, stderr=self.stderr)
