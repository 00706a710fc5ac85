/**
 * Server-rendered page skeletons of the web UI: headings, forms and labelled regions. Each page loads one client
 * module (`/app/assets/<page>.js`) that signs the user in from session storage, calls the JSON API and fills the
 * regions. Nothing here depends on the caller: the API key lives in the browser tab, so patient data never
 * passes through these pages.
 */
import type { Child, FC } from 'hono/jsx';
import type { Role } from '../access/types.ts';

/** A page in the navigation, shown to the roles that can use it (the API enforces the same roles). */
interface NavItem {
  href: string;
  label: string;
  roles: readonly Role[];
}

export const NAV: readonly NavItem[] = [
  { href: '/app/note', label: 'New note', roles: ['doctor'] },
  { href: '/app/coding', label: 'Coding worklist', roles: ['coder'] },
  { href: '/app/chart', label: 'Patient chart', roles: ['clinician', 'doctor'] },
  { href: '/app/imaging', label: 'Imaging worklist', roles: ['radiologist'] },
  { href: '/app/admin', label: 'Keys and audit', roles: ['admin'] },
];

interface ShellProps {
  title: string;
  /** Client module under /app/assets/. */
  script: string;
  /** Roles allowed on the page; empty for pages anyone may open (sign-in, home). */
  roles: readonly Role[];
  /** Navigation entry to mark as current. */
  current?: string;
  /** Values the client module reads from `document.body.dataset`. */
  data?: Record<string, string>;
  children?: Child;
}

const Shell: FC<ShellProps> = ({ title, script, roles, current, data = {}, children }) => {
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Clinote`}</title>
        <link rel="icon" href="/app/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/app/assets/app.css" />
        <script type="module" src={`/app/assets/${script}`}></script>
      </head>
      <body data-roles={roles.join(' ')} {...dataAttributes}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/app/">
            Clinote
          </a>
          <nav aria-label="Pages">
            <ul>
              {NAV.map((item) => (
                <li data-roles={item.roles.join(' ')} hidden>
                  <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="session" id="session" hidden>
            <span id="session-who"></span>
            <button type="button" id="sign-out" class="secondary">
              Sign out
            </button>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <noscript>
            <p class="error">Clinote's pages need JavaScript.</p>
          </noscript>
          {children}
        </main>
      </body>
    </html>
  );
};

const TriageNotice = () => (
  <p class="notice" role="note">
    <strong>Triage aid, not a diagnosis.</strong> Scores only order the worklist; every image is read by a radiologist.
  </p>
);

const CodingNotice = () => (
  <p class="notice" role="note">
    <strong>Suggestions need a coder's review.</strong> Codes are proposals from the note text; nothing is final until a coder saves the code set.
  </p>
);

/** Find or register a patient; wired by `patient-picker.js`. */
const PatientPicker: FC<{ canCreate: boolean }> = ({ canCreate }) => (
  <section class="card patient-picker" aria-labelledby="patient-heading">
    <h2 id="patient-heading">Patient</h2>
    <div id="patient-selected" class="patient-selected" hidden></div>
    <div id="patient-choose">
      <form id="patient-search" role="search" class="inline-form">
        <label for="patient-query">Name or MRN</label>
        <input id="patient-query" name="q" type="search" autocomplete="off" spellcheck={false} placeholder="e.g. Lovelace or BV-2026-000123" />
        <button type="submit">Search</button>
      </form>
      <p id="patient-status" class="status" aria-live="polite"></p>
      <ul id="patient-results" class="pick-list" aria-label="Matching patients"></ul>
      {canCreate && (
        <details id="patient-new">
          <summary>New patient</summary>
          <form id="patient-create" class="grid-form">
            <label for="new-mrn">MRN (required)</label>
            <input id="new-mrn" name="mrn" required maxlength={64} pattern="[A-Za-z0-9_.\-\/]+" autocomplete="off" />
            <label for="new-name">Name</label>
            <input id="new-name" name="name" maxlength={200} autocomplete="off" />
            <label for="new-birth">Birth date</label>
            <input id="new-birth" name="birthDate" type="date" />
            <label for="new-sex">Sex</label>
            <select id="new-sex" name="sex">
              <option value="">Not recorded</option>
              <option value="female">Female</option>
              <option value="male">Male</option>
              <option value="other">Other</option>
              <option value="unknown">Unknown</option>
            </select>
            <div class="form-actions">
              <button type="submit">Register patient</button>
            </div>
            <p id="patient-create-error" class="error" role="alert"></p>
          </form>
        </details>
      )}
    </div>
  </section>
);

export const SignInPage = () => (
  <Shell title="Sign in" script="signin.js" roles={[]}>
    <section class="card narrow" aria-labelledby="signin-heading">
      <h1 id="signin-heading">Sign in</h1>
      <form id="signin" class="grid-form">
        <label for="api-key">API key</label>
        <input id="api-key" name="key" type="password" required autocomplete="off" spellcheck={false} />
        <div class="form-actions">
          <button type="submit">Sign in</button>
        </div>
        <p id="signin-error" class="error" role="alert"></p>
      </form>
      <p class="hint">
        The key is kept in this browser tab only and is forgotten when you sign out or close the tab. Your key's role decides which pages you see.
      </p>
    </section>
  </Shell>
);

export const HomePage = () => (
  <Shell title="Home" script="home.js" roles={[]}>
    <h1>Clinote</h1>
    <p id="home-status" class="status" aria-live="polite">
      Loading…
    </p>
  </Shell>
);

export const NotePage = () => (
  <Shell title="New note" script="note.js" roles={['doctor']} current="/app/note">
    <h1>New note</h1>
    <div class="columns">
      <PatientPicker canCreate={true} />
      <section class="card" aria-labelledby="note-heading">
        <h2 id="note-heading">Note</h2>
        <form id="note-form" class="grid-form">
          <label for="note-kind">Kind</label>
          <select id="note-kind" name="kind">
            <option value="progress">Progress note</option>
            <option value="admission">Admission (history and physical)</option>
            <option value="consult">Consultation</option>
            <option value="discharge">Discharge summary</option>
          </select>
          <span class="label-like">Input</span>
          <div class="toggle">
            <input id="note-dictation" name="dictation" type="checkbox" />
            <label for="note-dictation">Dictation transcript</label>
            <span class="hint" id="dictation-hint">Spoken punctuation ("period", "new paragraph") is applied before structuring.</span>
          </div>
          <label for="note-text">Text</label>
          <textarea id="note-text" name="text" rows={14} required spellcheck={true} aria-describedby="draft-status"></textarea>
          <p id="draft-status" class="hint draft-status" aria-live="polite">
            Drafts are kept in this browser until you submit them or sign out.
          </p>
          <div class="form-actions submit-row">
            <button type="submit" id="note-submit" disabled aria-describedby="note-for">
              Submit note
            </button>
            <p id="note-for" class="note-for">
              No patient chosen
            </p>
          </div>
          <p id="note-error" class="error" role="alert"></p>
        </form>
      </section>
    </div>
    <section id="note-result" class="card" aria-labelledby="result-heading" hidden tabindex={-1}>
      <h2 id="result-heading">Structured note</h2>
      <p id="note-status" class="status" aria-live="polite"></p>
      <div id="note-output"></div>
    </section>
  </Shell>
);

export const CodingWorklistPage = () => (
  <Shell title="Coding worklist" script="coding-worklist.js" roles={['coder']} current="/app/coding">
    <h1>Coding worklist</h1>
    <CodingNotice />
    <div class="filters">
      <fieldset class="segmented">
        <legend>Show</legend>
        <input type="radio" id="wl-awaiting" name="wl-status" value="awaiting" checked />
        <label for="wl-awaiting">Awaiting review</label>
        <input type="radio" id="wl-reviewed" name="wl-status" value="reviewed" />
        <label for="wl-reviewed">Reviewed</label>
      </fieldset>
      <label for="wl-type">Encounter type</label>
      <select id="wl-type">
        <option value="">All</option>
        <option value="inpatient">Inpatient</option>
        <option value="ED">ED</option>
        <option value="outpatient">Outpatient</option>
      </select>
    </div>
    <p id="worklist-status" class="status" aria-live="polite"></p>
    <table id="worklist" class="data-table">
      <caption class="visually-hidden">Encounters for coding, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">MRN</th>
          <th scope="col">Type</th>
          <th scope="col">Dates</th>
          <th scope="col">Days waiting</th>
          <th scope="col">Notes</th>
          <th scope="col">Proposed codes</th>
          <th scope="col">Edits</th>
          <th scope="col">Final set</th>
          <th scope="col">
            <span class="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody></tbody>
    </table>
    <button type="button" id="worklist-more" class="secondary" hidden>
      Load more
    </button>
  </Shell>
);

/** Keyboard shortcuts of the code review, listed in its help panel (opened with ?). */
export const CODING_SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['a', 'Accept the current code'],
  ['r', 'Reject the current code (then type the reason)'],
  ['l', 'Leave the current code out'],
  ['j or ↓ (outside a field)', 'Next code'],
  ['k or ↑ (outside a field)', 'Previous code'],
  ['Alt + ↑ / Alt + ↓', 'Move the current code up or down the sequence (the first is principal)'],
  ['Ctrl + Enter', 'Save the final code set'],
  ['Ctrl + Shift + Enter', 'Save and open the next encounter'],
  ['?', 'Show or hide this help'],
];

/** The code review of a note (its own outpatient encounter) or of an encounter. */
export const CodingReviewPage: FC<{ noteId?: string; encounterId?: string }> = ({ noteId, encounterId }) => (
  <Shell title="Code review" script="coding-review.js" roles={['coder']} current="/app/coding" data={encounterId ? { 'encounter-id': encounterId } : { 'note-id': noteId ?? '' }}>
    <p>
      <a href="/app/coding">← Coding worklist</a>
    </p>
    <h1 id="review-heading">Code review</h1>
    <CodingNotice />
    <p id="review-status" class="status" aria-live="polite" tabindex={-1}>
      Loading…
    </p>
    <div id="review" class="split" hidden>
      <section class="card text-pane" aria-labelledby="review-text-heading">
        <h2 id="review-text-heading">Notes</h2>
        <p class="hint">Select a code to highlight the words that support it.</p>
        <div id="review-notes"></div>
      </section>
      <section class="card" aria-labelledby="suggestions-heading">
        <h2 id="suggestions-heading">Codes in sequence</h2>
        <p class="hint">
          Decide on every proposed code: nothing is pre-filled. The first coded one is the principal (first-listed) diagnosis. Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
        <form id="review-form">
          <div class="form-actions">
            <button type="button" id="accept-all" class="secondary">
              Accept all proposed
            </button>
            <button type="button" id="shortcuts-open" class="secondary">
              Keyboard shortcuts
            </button>
          </div>
          <ol id="suggestions" class="suggestions" aria-label="Codes in sequence"></ol>
          <details id="below-threshold" hidden>
            <summary id="below-summary">Other candidates</summary>
            <p class="hint">Not proposed: left out unless you accept them.</p>
            <ol id="suggestions-below" class="suggestions" aria-label="Other candidates"></ol>
          </details>
          <fieldset class="add-code">
            <legend>Add a code the suggestions missed</legend>
            <div id="add-code-slot"></div>
          </fieldset>
          <section id="claim-edits" class="claim-edits" aria-labelledby="claim-edits-heading">
            <h3 id="claim-edits-heading">Claim edits</h3>
            <p id="claim-edits-summary" class="hint" aria-live="polite"></p>
            <ul id="claim-edits-list" class="flags"></ul>
          </section>
          <div class="form-actions">
            <button type="submit" id="review-save">
              Save final code set
            </button>
            <button type="button" id="review-save-next">
              Save &amp; next
            </button>
          </div>
          <p id="review-error" class="error" role="alert" tabindex={-1}></p>
        </form>
      </section>
    </div>
    <section id="final" class="card" aria-labelledby="final-heading" hidden>
      <h2 id="final-heading" tabindex={-1}>
        Final code set
      </h2>
      <div id="final-body" aria-live="polite"></div>
      <div class="form-actions">
        <button type="button" id="export-csv" class="secondary">
          Export CSV
        </button>
        <button type="button" id="export-fhir" class="secondary">
          Export FHIR (JSON)
        </button>
      </div>
      <p class="hint">Exports hold this patient's final code sets (latest version per encounter).</p>
    </section>
    <dialog id="shortcut-help" aria-labelledby="shortcut-help-heading">
      <h2 id="shortcut-help-heading">Keyboard shortcuts</h2>
      <table class="data-table">
        <caption class="visually-hidden">Keyboard shortcuts of the code review</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {CODING_SHORTCUTS.map(([keys, action]) => (
            <tr>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" id="shortcuts-close">
          Close
        </button>
      </form>
    </dialog>
  </Shell>
);

export const ChartPage: FC<{ patientId?: string }> = ({ patientId }) => (
  <Shell title="Patient chart" script="chart.js" roles={['clinician', 'doctor']} current="/app/chart" data={patientId ? { 'patient-id': patientId } : {}}>
    <h1 id="chart-heading">Patient chart</h1>
    {patientId ? (
      <>
        <p id="chart-status" class="status" aria-live="polite">
          Loading the chart…
        </p>
        <div id="chart" class="chart-grid" hidden>
          <section class="card" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Summary</h2>
            <div id="summary"></div>
          </section>
          <div class="chart-main">
            <section class="card" aria-labelledby="search-heading">
              <h2 id="search-heading">Search the history</h2>
              <form id="history-search" role="search" class="inline-form">
                <label for="history-query">Search</label>
                <input id="history-query" name="q" type="search" autocomplete="off" placeholder="e.g. HbA1c, penicillin reaction, chest pain" />
                <button type="submit">Search</button>
              </form>
              <p id="search-status" class="status" aria-live="polite"></p>
              <ol id="search-results" class="search-results"></ol>
            </section>
            <section id="passage" class="card" aria-labelledby="passage-heading" hidden tabindex={-1}>
              <h2 id="passage-heading">Note</h2>
              <p id="passage-meta" class="meta"></p>
              <div id="passage-text" class="note-text"></div>
            </section>
            <section class="card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">Notes</h2>
              <ol id="timeline" class="timeline"></ol>
              <button type="button" id="timeline-more" class="secondary" hidden>
                Older notes
              </button>
            </section>
          </div>
        </div>
      </>
    ) : (
      <PatientPicker canCreate={false} />
    )}
  </Shell>
);

export const ImagingPage = () => (
  <Shell title="Imaging worklist" script="imaging.js" roles={['radiologist']} current="/app/imaging">
    <h1>Imaging worklist</h1>
    <TriageNotice />
    <p id="imaging-status" class="status" aria-live="polite"></p>
    <div class="split reader">
      <section class="card" aria-labelledby="unread-heading">
        <h2 id="unread-heading">Unread studies, urgent first</h2>
        <ol id="studies" class="studies"></ol>
        <button type="button" id="studies-more" class="secondary" hidden>
          Load more
        </button>
        <h2 id="read-heading">Read this session</h2>
        <p id="read-empty" class="hint">
          Studies you mark read appear here; a slip can be undone.
        </p>
        <ol id="read-list" class="studies read-list" aria-labelledby="read-heading"></ol>
      </section>
      <section id="study" class="card" aria-labelledby="study-heading" hidden tabindex={-1}>
        <h2 id="study-heading">Study</h2>
        <div id="study-body"></div>
      </section>
    </div>
  </Shell>
);

/** Admin: API keys (create, label, revoke; the token shown once) and the audit trail with filters and CSV export. */
export const AdminPage = () => (
  <Shell title="Keys and audit" script="admin.js" roles={['admin']} current="/app/admin">
    <h1>Keys and audit</h1>
    <section class="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <form id="key-create" class="inline-form">
        <label for="key-label">Label (who holds it)</label>
        <input id="key-label" name="label" required maxlength={100} autocomplete="off" placeholder="e.g. Dr Adaeze Eze, ward 3" />
        <label for="key-role">Role</label>
        <select id="key-role" name="role">
          <option value="doctor">Doctor</option>
          <option value="clinician">Clinician</option>
          <option value="coder">Coder</option>
          <option value="radiologist">Radiologist</option>
          <option value="admin">Admin</option>
        </select>
        <button type="submit">Create key</button>
      </form>
      <p id="key-error" class="error" role="alert"></p>
      <div id="key-created" class="token-box" hidden tabindex={-1}></div>
      <p id="keys-status" class="status" aria-live="polite"></p>
      <table id="keys" class="data-table">
        <caption class="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Role</th>
            <th scope="col">Key starts</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody></tbody>
      </table>
    </section>
    <section class="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      <form id="audit-filter" class="filter-form">
        <div>
          <label for="audit-actor">Actor</label>
          <select id="audit-actor" name="actorKeyId">
            <option value="">Anyone</option>
          </select>
        </div>
        <div>
          <label for="audit-action">Action</label>
          <input id="audit-action" name="action" list="audit-actions" autocomplete="off" placeholder="e.g. note.read" />
          <datalist id="audit-actions"></datalist>
        </div>
        <div>
          <label for="audit-patient">Patient id</label>
          <input id="audit-patient" name="patientId" autocomplete="off" spellcheck={false} pattern="[0-9a-fA-F\-]{36}" placeholder="UUID" />
        </div>
        <div>
          <label for="audit-since">From</label>
          <input id="audit-since" name="since" type="datetime-local" />
        </div>
        <div>
          <label for="audit-until">Until</label>
          <input id="audit-until" name="until" type="datetime-local" />
        </div>
        <div class="form-actions">
          <button type="submit">Show events</button>
          <button type="button" id="audit-csv" class="secondary">
            Export CSV
          </button>
        </div>
      </form>
      <p id="audit-status" class="status" aria-live="polite"></p>
      <div class="table-scroll">
        <table id="audit" class="data-table">
          <caption class="visually-hidden">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Role</th>
              <th scope="col">Action</th>
              <th scope="col">Patient</th>
              <th scope="col">Resource</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </div>
      <button type="button" id="audit-more" class="secondary" hidden>
        Older events
      </button>
    </section>
  </Shell>
);
