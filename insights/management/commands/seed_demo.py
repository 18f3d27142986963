from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo
from consultations import demo as consultations_demo
from insights import demo as insights_demo
from panels import demo as panels_demo
from ratings import demo as ratings_demo
from reviews import demo as reviews_demo


class Command(BaseCommand):
    help = "Load demonstration data: one user per role. Safe to run again."

    def handle(self, *args, **options):
        users = accounts_demo.seed_users()
        consultations_demo.seed_consultations()
        reviews_demo.seed_reviews()
        ratings_demo.seed_benchmarking()
        ratings_demo.seed_quality_assurance()
        insights_demo.seed_annual_report_years()
        insights_demo.seed_annual_report_draft()
        users += panels_demo.seed_panels()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Sign in at /sign-in/ with any of these accounts:")
        for email, role in users:
            self.stdout.write(f"  {email:<30} {role}")
        if accounts_demo.demo_password() == accounts_demo.DEFAULT_PASSWORD:
            self.stdout.write(f"Password: {accounts_demo.DEFAULT_PASSWORD}")
            self.stdout.write("(set SFOQA_DEMO_PASSWORD to choose another)")
        else:
            self.stdout.write("Password: the value of SFOQA_DEMO_PASSWORD")
