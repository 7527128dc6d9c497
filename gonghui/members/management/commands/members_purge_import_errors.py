"""manage.py members_purge_import_errors — drop import error files past their retention (daily)."""

from django.core.management.base import BaseCommand

from gonghui.members.imports import ERROR_FILE_DAYS, error_files_purge


class Command(BaseCommand):
    help = f"删除超过 {ERROR_FILE_DAYS} 天的导入错误明细文件"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除 {error_files_purge()} 个过期的导入错误明细文件")
