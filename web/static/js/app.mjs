// The GOV.UK Frontend components (error summary focus, navigation toggle, banners).
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
