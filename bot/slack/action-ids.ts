/**
 * action_ids opsbot gives its interactive elements. The command itself travels in the
 * element's value; the prefix only tells opsbot's clicks apart from other apps' blocks.
 */
export const BUTTON_ACTION_PREFIX = 'opsbot-button-';
export const SELECT_ACTION_PREFIX = 'opsbot-select-';

/** Matches every action_id opsbot renders (Bolt action constraint). */
export const OPSBOT_ACTION_ID = /^opsbot-(button|select)-\d+$/;
