// How many runs the compare view takes (the contract's runs:compare checks the same bounds).
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 8;
