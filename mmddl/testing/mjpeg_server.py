"""A loopback MJPEG-over-HTTP server for testing live sources.

Each connection is served the next batch of frames from ``batches``, then
closed, like a camera whose stream drops; once the batches run out, new
connections are refused with 503 (a camera that is gone).

Example:
    >>> import numpy as np
    >>> frames = np.zeros((3, 16, 16, 3), np.uint8)
    >>> with MJPEGServer([frames]) as server:
    ...     server.url.startswith('http://127.0.0.1:')
    True
"""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Sequence

import cv2
import numpy as np


class MJPEGServer:
    """Serves ``batches[k]`` ((n, H, W, 3) uint8 RGB) on connection k.

    Args:
        batches (Sequence[np.ndarray]): The frames of each connection.
        interval (float): Seconds between frames. Defaults to 0.02.
        quality (int): JPEG quality. Defaults to 95.
    """

    def __init__(self, batches: Sequence[np.ndarray], interval: float = 0.02,
                 quality: int = 95):
        self.batches = list(batches)
        self.interval = interval
        self.quality = quality
        self.connections = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):

            def log_message(self, *args):
                pass

            def do_GET(self):
                k = owner.connections
                owner.connections += 1
                if k >= len(owner.batches):
                    self.send_error(503, 'camera gone')
                    return
                self.send_response(200)
                self.send_header(
                    'Content-Type', 'multipart/x-mixed-replace; '
                    'boundary=frame')
                self.end_headers()
                for frame in owner.batches[k]:
                    ok, data = cv2.imencode(
                        '.jpg', cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                        [cv2.IMWRITE_JPEG_QUALITY, owner.quality])
                    part = (b'--frame\r\nContent-Type: image/jpeg\r\n'
                            b'Content-Length: %d\r\n\r\n' % data.size +
                            data.tobytes() + b'\r\n')
                    try:
                        self.wfile.write(part)
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        return
                    time.sleep(owner.interval)

        self._server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self._server.daemon_threads = True
        self.url = f'http://127.0.0.1:{self._server.server_address[1]}/' \
            'stream.mjpg'
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        daemon=True)

    def __enter__(self) -> 'MJPEGServer':
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
