from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from reviews.services.api_tokens import api_token_issue


class Command(BaseCommand):
    help = "Print the intake API token of an HMPPS system user (creating it)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--replace", action="store_true", help="Revoke the old token first."
        )

    def handle(self, *args, email, replace, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email}.")
        try:
            token = api_token_issue(user=user, replace=replace)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(token.key)
