// The review document beside the rating form, on wide screens: the toggle
// opens the browser's own PDF viewer in a frame of our origin, and "Go to
// page" moves it with #page=N. The choice is kept for the next section.
// Narrow screens keep the link that opens the document in a new tab.

const WIDE = window.matchMedia('(min-width: 64em)')
const KEY = 'sfoqa-review-beside-form'

function remember(open) {
  try {
    window.localStorage.setItem(KEY, open ? '1' : '')
  } catch {
    // Storage can be refused; the toggle still works for this page.
  }
}

function remembered() {
  try {
    return window.localStorage.getItem(KEY) === '1'
  } catch {
    return false
  }
}

function pageUrl(src, page) {
  return page ? `${src}#page=${page}` : src
}

function viewer(root) {
  const toggle = root.querySelector('.app-document-viewer__toggle')
  const pane = root.querySelector('.app-document-pane')
  const row = root.closest('.govuk-grid-row')
  if (!toggle || !pane || !row) return
  let frame = null

  // A new frame for each page asked for: the viewer reads #page=N when the
  // document loads, not when only the fragment changes.
  function load(url) {
    const next = document.createElement('iframe')
    next.className = 'app-document-pane__frame'
    next.title = pane.dataset.title
    next.src = url
    if (frame) frame.replaceWith(next)
    else pane.append(next)
    frame = next
  }

  function show(open) {
    if (open && !frame) {
      load(pane.dataset.src)
      row.append(pane)
    }
    pane.hidden = !open
    row.classList.toggle('app-split-view', open)
    document.body.classList.toggle('app-document-open', open)
    toggle.setAttribute('aria-expanded', String(open))
    toggle.textContent = open ? toggle.dataset.hideLabel : toggle.dataset.showLabel
  }

  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true'
    show(open)
    remember(open)
  })

  pane.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault()
    const page = Number.parseInt(pane.querySelector('input').value, 10)
    if (frame && page > 0) load(pageUrl(pane.dataset.src, page))
  })

  function fit() {
    toggle.hidden = !WIDE.matches
    if (!WIDE.matches) show(false)
    else if (remembered()) show(true)
  }
  WIDE.addEventListener('change', fit)
  fit()
}

export function initDocumentViewer() {
  document.querySelectorAll('[data-module="app-document-viewer"]').forEach(viewer)
}

initDocumentViewer()
