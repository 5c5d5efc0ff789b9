"""Detect cut-short or overwritten JPEG files before they are decoded.

libjpeg decodes a damaged JPEG with only a warning on stderr ("Corrupt JPEG
data", "Premature end of JPEG file") and OpenCV returns the image anyway,
grey or smeared where the data was bad; the scores change and nothing says
why. :func:`check_jpeg` reads the file's marker structure, which costs a
fraction of decoding it, and raises :class:`CorruptImageError` naming the
file when

- the file does not end with the end-of-image marker (a cut-short copy);
- the compressed data holds a byte pair that no valid JPEG has (a 0xFF
  followed by a reserved marker code), as overwritten data does;
- the end-of-image marker appears long before the end of the file.

What it cannot see: damage that keeps every marker valid (a flipped bit in
the compressed data). Those decode to a slightly wrong image in any decoder.

Example:
    >>> import cv2, numpy as np
    >>> ok, data = cv2.imencode('.jpg', np.zeros((8, 8, 3), np.uint8))
    >>> check_jpeg(data.tobytes(), 'frame.jpg')
    >>> try:
    ...     check_jpeg(data.tobytes()[:-20], 'frame.jpg')
    ... except CorruptImageError as err:
    ...     print(str(err)[:30])
    frame.jpg is a damaged JPEG: t
"""
import numpy as np

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
# codes that may follow 0xFF inside compressed data: byte stuffing, restart
# markers, fill bytes
_IN_SCAN = np.zeros(256, bool)
_IN_SCAN[[0x00, 0xFF] + list(range(0xD0, 0xD8))] = True
# marker segments with a length field that may sit between scans
# (progressive JPEG: tables, restart interval, comments, app data)
_SEGMENTS = set(range(0xC0, 0xD0)) | {0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF,
                                      0xFE} | set(range(0xE0, 0xF0))
_SEGMENTS.discard(0xC8)  # reserved
# bytes after the end marker that still count as a whole file (padding)
TRAILING_ALLOWED = 16


class CorruptImageError(ValueError):
    """Raised when an image file is cut short or overwritten."""


def is_jpeg(data: bytes) -> bool:
    """Whether ``data`` starts like a JPEG file."""
    return len(data) >= 2 and data[0] == 0xFF and data[1] == SOI


def _fail(path: str, why: str) -> None:
    raise CorruptImageError(
        f'{path} is a damaged JPEG: {why}. It would decode with only a '
        'libjpeg warning and a partly wrong image; re-extract or re-copy it '
        '(e.g. tools/prepare_dataset.py for Avenue and ShanghaiTech).')


def _segment_end(buf: np.ndarray, pos: int, path: str) -> int:
    """Position after the length-prefixed segment whose marker is at pos."""
    if pos + 4 > len(buf):
        _fail(path, f'the file ends inside a marker at byte {pos}')
    return pos + 2 + (int(buf[pos + 2]) << 8 | int(buf[pos + 3]))


def check_jpeg(data: bytes, path: str) -> None:
    """Raise :class:`CorruptImageError` if the JPEG in ``data`` is damaged.

    Args:
        data (bytes): The whole file.
        path (str): The file's name, for the message.
    """
    buf = np.frombuffer(data, np.uint8)
    end = len(buf)
    while end > 2 and buf[end - 1] == 0x00:  # zero padding some writers add
        end -= 1
    pos = 2
    # header segments up to the first scan
    while True:
        if pos + 2 > end:
            _fail(path, 'the file ends before its image data')
        if buf[pos] != 0xFF:
            _fail(path, f'no marker where one must be (byte {pos})')
        code = int(buf[pos + 1])
        if code == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if code not in _SEGMENTS:
            _fail(path, f'unexpected marker 0xFF{code:02X} at byte {pos}')
        pos = _segment_end(buf, pos, path)
        if code == SOS:
            break
    # compressed data, with (progressive) segments between scans
    while True:
        ff = np.flatnonzero(buf[pos:end - 1] == 0xFF) + pos
        marks = ff[~_IN_SCAN[buf[ff + 1]]]
        if len(marks) == 0:
            _fail(path, 'it is cut short or overwritten (no valid '
                  'end-of-image marker)')
        mark = int(marks[0])
        code = int(buf[mark + 1])
        if code == EOI:
            if end - (mark + 2) > TRAILING_ALLOWED:
                _fail(path, f'its image data ends at byte {mark} of {end}; '
                      'the rest is not part of the image')
            return
        if code not in _SEGMENTS:
            _fail(path, f'invalid byte pair 0xFF{code:02X} in the image data '
                  f'at byte {mark} of {end}')
        pos = _segment_end(buf, mark, path)
