// Put every table in a box of its own that scrolls sideways when the table is
// wider than the screen, so the page itself never does. A box that scrolls is
// a named, focusable region, so keyboard users can scroll it too. Preformatted
// text (code examples) scrolls the same way.

function fit($box) {
  const scrolls = $box.scrollWidth > $box.clientWidth
  if (scrolls) {
    $box.setAttribute('tabindex', '0')
    $box.setAttribute('role', 'region')
  } else {
    $box.removeAttribute('tabindex')
    $box.removeAttribute('role')
  }
}

export function initTableContainers() {
  const $boxes = []
  for (const $table of document.querySelectorAll('table.govuk-table')) {
    let $box = $table.closest('.app-table-container')
    if (!$box) {
      $box = document.createElement('div')
      $box.className = 'app-table-container'
      $table.replaceWith($box)
      $box.append($table)
    }
    const caption = $table.querySelector('caption')
    const name = caption ? caption.textContent.trim() : ''
    $box.setAttribute('aria-label', name || 'Table')
    $boxes.push($box)
  }
  for (const $pre of document.querySelectorAll('main pre')) {
    $pre.setAttribute('aria-label', 'Example')
    $boxes.push($pre)
  }
  const refit = () => $boxes.forEach(fit)
  refit()
  // Components started after this one, and late images, can change a
  // table's width: fit again whenever a box or what it holds is resized.
  if ('ResizeObserver' in window) {
    const observer = new ResizeObserver(refit)
    for (const $box of $boxes) {
      observer.observe($box)
      if ($box.firstElementChild) observer.observe($box.firstElementChild)
    }
  } else {
    window.addEventListener('resize', refit)
  }
}
