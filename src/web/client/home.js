// @ts-check
import { HOME_BY_ROLE, startPage } from './layout.js';

// Every role has its own page; home only forwards there.
const principal = startPage();
if (principal) location.replace(HOME_BY_ROLE[principal.role]);
