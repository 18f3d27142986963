// Warn a signed-in user before their session ends for inactivity and let them
// stay signed in, as the GOV.UK and HMRC timeout warnings do.
//
// The server ends a session `data-idle-seconds` after its last request. Open
// tabs of the service share the time of the last request through
// localStorage, so working in one tab keeps the others from timing out.
//
// Markup (templates/includes/timeout_warning.html): a <dialog> with
// data-module="app-timeout-warning", the data-* settings read below, an
// element with data-timeout-countdown, a button with data-timeout-stay and a
// sign-out form with data-timeout-sign-out-form.

const ACTIVITY_KEY = 'sfoqa:last-request-at'
const TICK_MS = 1000

let lastRequestHere = Date.now()

/**
 * Start the timeout warning if the page has one.
 *
 * @param {Document | Element} [scope] - where to look for the dialog
 * @returns {TimeoutWarning | null} the warning, or null if there is none
 */
export function initTimeoutWarning (scope = document) {
  const dialog = scope.querySelector('[data-module="app-timeout-warning"]')
  if (!dialog || typeof dialog.showModal !== 'function') {
    return null
  }
  return new TimeoutWarning(dialog)
}

class TimeoutWarning {
  constructor (dialog) {
    const settings = dialog.dataset
    this.dialog = dialog
    this.idleMs = toSeconds(settings.idleSeconds) * 1000
    this.warningMs = Math.min(toSeconds(settings.warningSeconds) * 1000, this.idleMs)
    this.keepAliveUrl = settings.keepAliveUrl
    this.signOutUrl = settings.signOutUrl
    this.texts = {
      minutes: settings.textMinutes || 'You will be signed out in {count} minutes.',
      oneMinute: settings.textOneMinute || 'You will be signed out in 1 minute.',
      seconds: settings.textSeconds || 'You will be signed out in {count} seconds.'
    }
    this.countdown = dialog.querySelector('[data-timeout-countdown]')
    this.stayButton = dialog.querySelector('[data-timeout-stay]')
    this.timer = null
    this.returnFocusTo = null
    this.keepingAlive = false

    if (!this.idleMs || !this.keepAliveUrl || !this.signOutUrl) {
      return
    }

    this.stayButton.addEventListener('click', () => this.staySignedIn())
    // Escape means "stay signed in": the user has seen the warning.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      this.staySignedIn()
    })
    dialog.addEventListener('close', () => this.restoreFocus())
    window.addEventListener('storage', (event) => {
      if (event.key === ACTIVITY_KEY) {
        this.tick()
      }
    })
    // Browsers slow timers in background tabs and stop them during sleep.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        this.tick()
      }
    })

    recordRequest()
    this.tick()
  }

  tick () {
    window.clearTimeout(this.timer)
    const remainingMs = lastRequestAt() + this.idleMs - Date.now()

    if (remainingMs <= 0) {
      this.signOut()
      return
    }
    if (remainingMs > this.warningMs) {
      if (this.dialog.open) {
        this.dialog.close()
      }
      this.timer = window.setTimeout(() => this.tick(), remainingMs - this.warningMs)
      return
    }

    this.showCountdown(remainingMs)
    if (!this.dialog.open) {
      this.open()
    }
    this.timer = window.setTimeout(() => this.tick(), Math.min(TICK_MS, remainingMs))
  }

  open () {
    this.returnFocusTo = document.activeElement
    this.dialog.showModal()
    this.stayButton.focus()
  }

  restoreFocus () {
    const target = this.returnFocusTo
    this.returnFocusTo = null
    if (target && target.isConnected && typeof target.focus === 'function') {
      target.focus()
    }
  }

  // The countdown is a live region, so change its text only when the rounded
  // time changes: each minute, then every 15 seconds in the last minute.
  showCountdown (remainingMs) {
    const text = this.countdownText(remainingMs)
    if (this.countdown.textContent !== text) {
      this.countdown.textContent = text
    }
  }

  // Whole minutes are rounded down, so the warning never promises more time
  // than is left; the last minute counts down in steps of 15 seconds.
  countdownText (remainingMs) {
    const seconds = Math.ceil(remainingMs / 1000)
    const minutes = Math.floor(seconds / 60)
    if (minutes > 1) {
      return this.texts.minutes.replace('{count}', String(minutes))
    }
    const quarter = Math.ceil(seconds / 15) * 15
    if (minutes === 1 || quarter === 60) {
      return this.texts.oneMinute
    }
    return this.texts.seconds.replace('{count}', String(quarter))
  }

  async staySignedIn () {
    if (this.keepingAlive) {
      return
    }
    this.keepingAlive = true
    try {
      // A redirect means the session has already ended (to the sign-in page).
      const response = await fetch(this.keepAliveUrl, {
        method: 'POST',
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { 'X-CSRFToken': csrfToken() }
      })
      if (!response.ok) {
        this.signOut()
        return
      }
      recordRequest()
      this.dialog.close()
      this.tick()
    } catch {
      // No connection: keep the warning open so the user can try again.
    } finally {
      this.keepingAlive = false
    }
  }

  // Sign out through the dialog's form (a POST that ends the session and
  // redirects to the timed-out page); without it, go to that page directly.
  signOut () {
    window.clearTimeout(this.timer)
    const form = this.dialog.querySelector('form[data-timeout-sign-out-form]')
    if (!form) {
      window.location.assign(this.signOutUrl)
      return
    }
    const reason = document.createElement('input')
    reason.type = 'hidden'
    reason.name = 'reason'
    reason.value = 'timeout'
    form.append(reason)
    form.submit()
  }
}

function toSeconds (value) {
  const number = Number(value)
  return Number.isFinite(number) && number > 0 ? number : 0
}

function csrfToken () {
  const meta = document.querySelector('meta[name="csrf-token"]')
  return meta ? meta.content : ''
}

function recordRequest () {
  lastRequestHere = Date.now()
  try {
    window.localStorage.setItem(ACTIVITY_KEY, String(lastRequestHere))
  } catch {
    // Storage can be turned off; this tab then keeps its own time.
  }
}

function lastRequestAt () {
  let shared = 0
  try {
    shared = Number(window.localStorage.getItem(ACTIVITY_KEY)) || 0
  } catch {
    shared = 0
  }
  return Math.max(lastRequestHere, shared)
}
