// Save a rating form in the background about every 30 seconds and when the
// tab is hidden, so a crash or a timed-out session loses little. The page
// works without it: every form also saves normally.
const INTERVAL_MS = 30000

export function initAutosave (scope = document) {
  const container = scope.querySelector('[data-autosave-url]')
  const form = container && container.querySelector('form')
  if (!form) return
  const url = container.getAttribute('data-autosave-url')
  const status = container.querySelector('[data-autosave-status]')
  let dirty = false
  let saving = false

  form.addEventListener('input', () => { dirty = true })
  form.addEventListener('change', () => { dirty = true })
  form.addEventListener('submit', () => { dirty = false })

  function say (text) {
    if (status) status.textContent = text
  }

  async function save () {
    if (!dirty || saving) return
    saving = true
    dirty = false
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'same-origin',
        redirect: 'manual',
        keepalive: true
      })
      if (response.ok) {
        const result = await response.json()
        const version = form.querySelector('input[name="lock_version"]')
        if (version) version.value = result.lock_version
        say(`Saved automatically at ${new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`)
      } else if (response.status === 409) {
        say('Someone else has changed this assessment. Save the page to compare: nothing you typed will be lost.')
      } else {
        dirty = true
        say('Not saved automatically. Use a save button to save your work.')
      }
    } catch (error) {
      dirty = true
      say('Not saved automatically: check your connection, then use a save button.')
    } finally {
      saving = false
    }
  }

  window.setInterval(save, INTERVAL_MS)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save()
  })
}
