// Follow a report job while it is made: update its status and progress, and
// reload the page when the job has finished so the download or error shows.
const POLL_MS = 2000

export function initReportJob (scope = document) {
  const container = scope.querySelector('[data-report-status-url]')
  if (!container) return
  const url = container.getAttribute('data-report-status-url')
  const progress = container.querySelector('[data-report-progress]')
  const tag = scope.querySelector('[data-report-status-tag] .govuk-tag')

  async function poll () {
    try {
      const response = await fetch(url, { credentials: 'same-origin', redirect: 'manual' })
      // Anything but a JSON answer (signed out, say): reload shows what is true.
      if (!response.ok) {
        window.location.reload()
        return
      }
      const job = await response.json()
      if (job.finished) {
        window.location.reload()
        return
      }
      progress.textContent = `${job.progress}% done.`
      if (tag && job.label) tag.textContent = job.label
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, POLL_MS)
  }
  window.setTimeout(poll, POLL_MS)
}
