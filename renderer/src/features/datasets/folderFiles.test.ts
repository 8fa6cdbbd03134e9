import { describe, expect, it } from 'vitest';
import { baseName, filesFromPicker, pickedFolderPath } from './folderFiles';

function pickedFile(relativePath: string): File {
  const file = new File(['x'], relativePath.split('/').pop() ?? 'f');
  // Browsers set this read-only property for folder pickers; Node's File has none.
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

describe('filesFromPicker', () => {
  it('drops the picked folder itself so that class folders are the first level', () => {
    const selection = filesFromPicker([
      pickedFile('digits/0/a.png'),
      pickedFile('digits/1/b.png'),
      pickedFile('digits/notes.txt'),
    ]);
    expect(selection.name).toBe('digits');
    expect(selection.files.map((f) => f.relativePath)).toEqual(['0/a.png', '1/b.png', 'notes.txt']);
  });

  it('keeps plain file names when the picker gave no folder paths', () => {
    const selection = filesFromPicker([new File(['x'], 'a.png')]);
    expect(selection.files.map((f) => f.relativePath)).toEqual(['a.png']);
  });
});

describe('pickedFolderPath', () => {
  it('derives the picked folder from a file path on POSIX', () => {
    const file = pickedFile('digits/3/x.png');
    expect(pickedFolderPath(file, '/home/ana/data/digits/3/x.png')).toBe('/home/ana/data/digits');
  });

  it('derives the picked folder from a file path on Windows', () => {
    const file = pickedFile('digits/3/x.png');
    expect(pickedFolderPath(file, 'C:\\data\\digits\\3\\x.png')).toBe('C:\\data\\digits');
  });

  it('gives up without a relative path', () => {
    expect(pickedFolderPath(new File(['x'], 'x.png'), '/tmp/x.png')).toBeNull();
  });
});

describe('baseName', () => {
  it('takes the last segment of either separator', () => {
    expect(baseName('/a/b/digits/')).toBe('digits');
    expect(baseName('C:\\a\\pets')).toBe('pets');
  });
});
