FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 sfoqa
WORKDIR /app
COPY requirements/ requirements/
RUN pip install -r requirements/base.lock
COPY --chown=sfoqa:sfoqa . .
RUN DEBUG=true python manage.py collectstatic --no-input \
 && mkdir -p /app/var/media && chown -R sfoqa:sfoqa /app/var
USER sfoqa
EXPOSE 8000
CMD ["gunicorn", "sfoqa.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
