/** The script group of a letter, or null for what is not a letter of a known script. */
export function scriptOf(codePoint: number): string | null {
  if ((codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a))
    return 'latin';
  if (codePoint >= 0xc0 && codePoint <= 0x24f) return 'latin';
  if (codePoint >= 0x370 && codePoint <= 0x3ff) return 'greek';
  if (codePoint >= 0x400 && codePoint <= 0x52f) return 'cyrillic';
  if (codePoint >= 0x590 && codePoint <= 0x5ff) return 'hebrew';
  if (codePoint >= 0x600 && codePoint <= 0x6ff) return 'arabic';
  if (codePoint >= 0x900 && codePoint <= 0x97f) return 'devanagari';
  if ((codePoint >= 0x3040 && codePoint <= 0x30ff) || (codePoint >= 0x4e00 && codePoint <= 0x9fff))
    return 'cjk';
  if (codePoint >= 0xac00 && codePoint <= 0xd7af) return 'hangul';
  return null;
}
