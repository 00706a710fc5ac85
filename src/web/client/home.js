// @ts-check
import { byId, h, replace, setStatus } from './dom.js';
import { HOME_BY_ROLE, startPage } from './layout.js';

const principal = startPage();
if (principal) {
  const home = HOME_BY_ROLE[principal.role];
  if (home) {
    location.replace(home);
  } else {
    setStatus(byId('home-status'), 'Admin keys manage API keys and read the audit trail; they do not open patient records.');
    replace(byId('home-links'), h('li', {}, h('a', { href: '/docs' }, 'API documentation (keys, audit)')));
  }
}
