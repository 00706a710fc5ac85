// vitest setup file: every test process loads models where its environment's Config says, as a composition root would.
import { installModelFilesFromEnvironment } from '../../src/model-files.ts';

installModelFilesFromEnvironment();
