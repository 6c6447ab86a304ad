"""Create the local demo administrator once and say how to log in (development only)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-admin"


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị cho bản trình diễn (chỉ khi DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, url: str, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_demo_admin chỉ dùng cho môi trường phát triển (DEBUG).")
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None or not PASSWORD_FILE.exists():
            # A random password per checkout: no shared secret in the repository.
            password = secrets.token_urlsafe(12)
            user = user or User(username="admin", email="admin@example.invalid")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            PASSWORD_FILE.write_text(password + "\n", encoding="utf-8")
        password = PASSWORD_FILE.read_text(encoding="utf-8").strip()
        self.stdout.write(
            self.style.SUCCESS(
                f"Quản trị / Admin: {url}  tài khoản/user: admin  mật khẩu/password: {password}"
                f"  (lưu trong {PASSWORD_FILE.name})"
            )
        )
