// Start GOV.UK Frontend, MoJ Frontend and the session timeout warning.
// Loaded with type="module", so it runs only in browsers that GOV.UK Frontend
// supports, after the document has been parsed.
import {
  createAll,
  initAll as initGovukFrontend
} from '../vendor/govuk-frontend.min.js'
import {
  FilterToggleButton,
  initAll as initMojFrontend
} from '../vendor/moj-frontend.min.js'
import { initAutosave } from './autosave.mjs'
import { initReportJob } from './report-job.mjs'
import { initTableContainers } from './tables.mjs'
import { initTimeoutWarning } from './timeout-warning.mjs'

initTableContainers()
initGovukFrontend()
initMojFrontend()
// MoJ's initAll leaves out the filter: it needs a page's .moj-action-bar.
createAll(FilterToggleButton)
initTimeoutWarning()
initReportJob()
initAutosave()
