import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemTypes, problemTypeUri, type ProblemSlug } from './problem.ts';

/** Node's HTTP parser errors that the server answers itself, by error code. */
const parserProblems: Record<string, ProblemSlug> = {
  HPE_HEADER_OVERFLOW: 'header-fields-too-large',
};

/**
 * Requests node's HTTP parser refuses before any handler runs (headers over `maxHeaderSize`, malformed request lines)
 * are answered as problem+json like every other error, instead of node's bare 431/400. The connection is closed:
 * after a parse error the stream position is unknown.
 */
export function answerClientErrorsAsProblems(server: Pick<Server, 'on'>): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or an already answered socket gets nothing more.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const slug: ProblemSlug = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'bad-request' : (parserProblems[error.code ?? ''] ?? 'bad-request');
    const { status, title } = problemTypes[slug];
    const detail = slug === 'header-fields-too-large' ? 'The request headers are larger than the server accepts.' : 'The request could not be parsed as HTTP.';
    const body = JSON.stringify({ type: problemTypeUri(slug), title, status, detail });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
