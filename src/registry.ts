/**
 * The one way from the engine into the rule packs: the CLI, the docs generator and the scan
 * workers load rules from here, and nothing else under src/ imports from rules/.
 */
export { RULES } from '../rules/index.js';
