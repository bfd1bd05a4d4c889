/**
 * The one way from the engine into the rule packs: the CLI, the docs generator and the scan
 * workers load rules (and the project facts they read) from here, and nothing else under src/
 * imports from rules/.
 */
export { FACTS, RULES } from '../rules/index.js';
export { INVENTORY } from '../rules/inventory.js';
