// Save a rating form in the background about every 30 seconds and when the
// tab is hidden, so a crash or a timed-out session loses little. The page
// works without it: every form also saves normally.
//
// Whatever has not reached the server is also kept in this browser
// (localStorage), keyed by user, form and lock version, so an outage of the
// network or the database loses nothing: the next time the form loads with
// a copy that differs from the server's, a banner offers to restore it.
//
// Markup (templates/ratings/standard.html, overall.html): a container with
// data-autosave-url, data-autosave-user, data-autosave-draft (which form),
// data-autosave-unsaved when the page shows posted values that were not
// saved, an element with data-autosave-status, and the form.
const INTERVAL_MS = 30000
const DRAFT_MS = 500
const RETRY_MS = [5000, 10000, 20000, 40000, 60000]
const KEEP_DAYS = 30
const PREFIX = 'sfoqa:draft:'
// Never kept: the token belongs to the session, the version to the key.
const NOT_KEPT = new Set(['csrfmiddlewaretoken', 'lock_version'])

export function initAutosave (scope = document) {
  forgetDraftsOnSignOut(scope)
  pruneDrafts()
  const container = scope.querySelector('[data-autosave-url]')
  const form = container && container.querySelector('form')
  if (!form) return
  const url = container.getAttribute('data-autosave-url')
  const status = container.querySelector('[data-autosave-status]')
  const user = container.getAttribute('data-autosave-user')
  const draftName = container.getAttribute('data-autosave-draft')
  const drafts = user && draftName ? new Drafts(`${PREFIX}${user}:${draftName}:`) : null
  const version = form.querySelector('input[name="lock_version"]')
  // What the server holds, as far as this page knows; null when unknown
  // (a page showing posted values that failed validation or conflicted).
  let onServer = container.hasAttribute('data-autosave-unsaved') ? null : fieldsOf(form)
  let dirty = false
  let saving = false
  let draftTimer = null
  let retryTimer = null
  let failures = 0
  let submitting = false
  let submitter

  function say (text, { important = false } = {}) {
    if (!status) return
    status.textContent = text
    status.classList.toggle('govuk-!-font-weight-bold', important)
  }

  function keepDraft () {
    window.clearTimeout(draftTimer)
    draftTimer = null
    if (!drafts) return
    const fields = fieldsOf(form)
    if (onServer !== null && same(fields, onServer)) {
      drafts.forgetAll()
    } else {
      drafts.keep(version ? version.value : '', fields)
    }
  }

  function edited () {
    dirty = true
    window.clearTimeout(draftTimer)
    draftTimer = window.setTimeout(keepDraft, DRAFT_MS)
  }

  form.addEventListener('input', edited)
  form.addEventListener('change', edited)
  form.addEventListener('submit', (event) => {
    keepDraft()
    if (saving) {
      // Send the form once the background save is back, with its new lock
      // version, rather than race it into an edit conflict.
      event.preventDefault()
      submitter = event.submitter
      return
    }
    submitting = true
    window.clearTimeout(retryTimer)
    dirty = false
  })
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) submitting = false
  })

  function retryLater () {
    window.clearTimeout(retryTimer)
    const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]
    failures += 1
    retryTimer = window.setTimeout(save, delay)
  }

  async function save () {
    if (!dirty || saving || submitting) return
    window.clearTimeout(retryTimer)
    saving = true
    dirty = false
    const sent = fieldsOf(form)
    const sentVersion = version ? version.value : ''
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'same-origin',
        redirect: 'manual',
        // Lets the request outlive a closing tab; the browser caps its size.
        keepalive: document.visibilityState === 'hidden'
      })
      if (response.ok) {
        const result = await response.json()
        failures = 0
        onServer = sent
        if (drafts) drafts.forget(sentVersion)
        if (version) version.value = result.lock_version
        keepDraft()
        say(`Saved automatically at ${timeOfDay(new Date())}`)
      } else if (response.status === 409) {
        say('Someone else has changed this assessment. Save the page to compare: nothing you typed will be lost.')
      } else if (response.type === 'opaqueredirect') {
        dirty = true
        say('Not saved: you have been signed out. Your changes are kept on this computer: sign in again to restore them.', { important: true })
      } else if (response.status >= 500) {
        dirty = true
        notSaved()
      } else {
        dirty = true
        keepDraft()
        say('Not saved automatically. Use a save button to save your work.')
      }
    } catch (error) {
      dirty = true
      notSaved()
    } finally {
      saving = false
      if (submitter !== undefined) {
        const button = submitter
        submitter = undefined
        form.requestSubmit(button)
      }
    }
  }

  function notSaved () {
    keepDraft()
    say('Not saved: your changes are kept on this computer and will be sent when the connection returns.', { important: true })
    retryLater()
  }

  window.setInterval(save, INTERVAL_MS)
  window.addEventListener('online', save)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      if (draftTimer) keepDraft()
      save()
    }
  })
  window.addEventListener('pagehide', () => {
    if (draftTimer) keepDraft()
  })

  if (!drafts) return
  if (onServer === null) {
    keepDraft()
    return
  }
  const draft = drafts.latest()
  if (!draft) return
  if (same(draft.fields, onServer)) {
    drafts.forgetAll()
    return
  }
  offerRestore({
    container,
    draft,
    restore () {
      fill(form, draft.fields)
      // Saving over a newer server copy must meet the edit conflict check.
      if (version && draft.version) version.value = draft.version
      edited()
      say(`Restored the text you typed on ${dateAndTime(draft.at)}. It is not saved yet.`)
      focusFirstChanged(form, onServer)
      save()
    },
    discard () {
      drafts.forgetAll()
      say(`Discarded the text you typed on ${dateAndTime(draft.at)}.`)
      focusFirstField(form)
    }
  })
}

// The drafts of one form for one user, one entry per lock version.
class Drafts {
  constructor (prefix) {
    this.prefix = prefix
  }

  keys () {
    return storedKeys().filter((key) => key.startsWith(this.prefix))
  }

  keep (version, fields) {
    const key = this.prefix + version
    this.keys().filter((other) => other !== key).forEach(removeItem)
    setItem(key, JSON.stringify({ at: Date.now(), fields }))
  }

  latest () {
    let best = null
    for (const key of this.keys()) {
      const draft = readDraft(key)
      if (draft && (!best || draft.at > best.at)) {
        best = { ...draft, version: key.slice(this.prefix.length) }
      }
    }
    return best
  }

  forget (version) {
    removeItem(this.prefix + version)
  }

  forgetAll () {
    this.keys().forEach(removeItem)
  }
}

function offerRestore ({ container, draft, restore, discard }) {
  const when = dateAndTime(draft.at)
  const banner = element('div', 'govuk-notification-banner')
  banner.setAttribute('role', 'region')
  banner.setAttribute('aria-labelledby', 'app-draft-banner-title')
  banner.setAttribute('tabindex', '-1')
  const header = element('div', 'govuk-notification-banner__header')
  const title = element('h2', 'govuk-notification-banner__title', 'Important')
  title.id = 'app-draft-banner-title'
  header.append(title)
  const content = element('div', 'govuk-notification-banner__content')
  content.append(
    element('p', 'govuk-notification-banner__heading', 'You have changes that were not saved'),
    element('p', 'govuk-body', `The text you typed on ${when} could not be saved, so it was kept on this computer. Restore it to carry on, or discard it to keep the saved version below.`)
  )
  const buttons = element('div', 'govuk-button-group')
  const restoreButton = element('button', 'govuk-button', `Restore the text you typed on ${when}`)
  const discardButton = element('button', 'govuk-button govuk-button--secondary', 'Discard')
  discardButton.append(element('span', 'govuk-visually-hidden', ` the text you typed on ${when}`))
  for (const [button, action] of [[restoreButton, restore], [discardButton, discard]]) {
    button.type = 'button'
    button.addEventListener('click', () => {
      banner.remove()
      action()
    })
    buttons.append(button)
  }
  content.append(buttons)
  banner.append(header, content)
  container.prepend(banner)
  banner.addEventListener('blur', () => banner.removeAttribute('tabindex'), { once: true })
  banner.focus()
}

// Every value a user can change, in document order, as [name, value] pairs.
function fieldsOf (form) {
  const fields = []
  for (const [name, value] of new FormData(form)) {
    if (!NOT_KEPT.has(name) && typeof value === 'string') fields.push([name, value])
  }
  return fields
}

function fill (form, fields) {
  const values = new Map()
  for (const [name, value] of fields) {
    if (!values.has(name)) values.set(name, [])
    values.get(name).push(value)
  }
  const used = new Map()
  for (const control of form.elements) {
    const name = control.name
    if (!name || NOT_KEPT.has(name) || !values.has(name)) continue
    const wanted = values.get(name)
    if (control.type === 'radio' || control.type === 'checkbox') {
      control.checked = wanted.includes(control.value)
    } else if (control.type !== 'submit' && control.type !== 'button' && control.type !== 'file') {
      const index = used.get(name) || 0
      used.set(name, index + 1)
      if (index < wanted.length) control.value = wanted[index]
    }
    // Let components that count characters see the new value.
    control.dispatchEvent(new Event('input', { bubbles: true }))
  }
  // Choices left out of the draft were not chosen when it was kept.
  for (const control of form.elements) {
    if ((control.type === 'radio' || control.type === 'checkbox') && control.name &&
        !values.has(control.name) && !NOT_KEPT.has(control.name)) {
      control.checked = false
    }
  }
}

function focusFirstChanged (form, onServer) {
  const before = new Map(onServer)
  const changed = fieldsOf(form).find(([name, value]) => before.get(name) !== value)
  const name = changed && CSS.escape(changed[0])
  const control = changed &&
    (form.querySelector(`[name="${name}"]:checked`) || form.querySelector(`[name="${name}"]`))
  if (control) {
    control.focus()
  } else {
    focusFirstField(form)
  }
}

function focusFirstField (form) {
  const control = [...form.elements].find((c) => c.name && !NOT_KEPT.has(c.name) && c.type !== 'hidden')
  if (control) control.focus()
}

// Signing out leaves nothing typed behind on a shared computer. A timed-out
// session keeps its drafts: they are what the user would otherwise lose.
function forgetDraftsOnSignOut (scope) {
  scope.addEventListener('submit', (event) => {
    const form = event.target
    if (form.matches && form.matches('.app-header__sign-out-form, [data-timeout-sign-out-form]')) {
      storedKeys().filter((key) => key.startsWith(PREFIX)).forEach(removeItem)
    }
  })
}

function pruneDrafts () {
  const oldest = Date.now() - KEEP_DAYS * 24 * 60 * 60 * 1000
  for (const key of storedKeys().filter((k) => k.startsWith(PREFIX))) {
    const draft = readDraft(key)
    if (!draft || draft.at < oldest) removeItem(key)
  }
}

function readDraft (key) {
  try {
    const draft = JSON.parse(window.localStorage.getItem(key))
    return draft && Array.isArray(draft.fields) && typeof draft.at === 'number' ? draft : null
  } catch (error) {
    return null
  }
}

// Storage can be switched off or full: autosave then works as before.
function storedKeys () {
  try {
    return Object.keys(window.localStorage)
  } catch (error) {
    return []
  }
}

function setItem (key, value) {
  try {
    window.localStorage.setItem(key, value)
  } catch (error) {}
}

function removeItem (key) {
  try {
    window.localStorage.removeItem(key)
  } catch (error) {}
}

function same (a, b) {
  return JSON.stringify(a) === JSON.stringify(b)
}

function element (tag, className, text) {
  const node = document.createElement(tag)
  node.className = className
  if (text) node.textContent = text
  return node
}

const LONDON = { timeZone: 'Europe/London' }

function timeOfDay (date) {
  return date.toLocaleTimeString('en-GB', { ...LONDON, hour: '2-digit', minute: '2-digit' })
}

// GOV.UK style: "1 December 2026 at 9:41pm".
function dateAndTime (at) {
  const date = new Date(at)
  const day = date.toLocaleDateString('en-GB', { ...LONDON, day: 'numeric', month: 'long', year: 'numeric' })
  const time = date.toLocaleTimeString('en-GB', { ...LONDON, hour: 'numeric', minute: '2-digit', hour12: true })
  return `${day} at ${time.replace(/\s/g, '').toLowerCase()}`
}
