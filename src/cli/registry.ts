/** The table of every `shadowvm` command. Add a command by adding one import and one entry. */
import type { Command } from './command.js';

export const COMMANDS: readonly Command[] = [];
