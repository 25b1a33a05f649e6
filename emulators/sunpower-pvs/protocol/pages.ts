/** Headers the PVS's lighttpd sends with every dl_cgi answer (seen in a captured DeviceList). */
export const DL_CGI_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
  'access-control-allow-methods': 'GET,POST,DELETE,PUT',
  pragma: 'no-cache',
  'dlcgi-build-time': 'Sep 15 2021 00:05:00',
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Content-Type',
  'cache-control': 'no-cache, no-store, no-cache, must-revalidate, post-check=0, pre-check=0',
  server: 'lighttpd/1.4.51',
});

/** The page the supervisor serves while its data logger restarts (captured from a PVS6). */
export const UNAVAILABLE_PAGE = '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n';

export const UNAVAILABLE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-cache',
  connection: 'close',
  'content-type': 'text/html',
});

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** lighttpd's own error page for a status code. */
export function lighttpdErrorPage(status: number): string {
  const title = `${status} - ${REASONS[status] ?? 'Error'}`;
  return (
    '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
    '         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    ` <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`
  );
}

/** The device's own page for a status fault: the captured 503 page, or lighttpd's generic one. */
export function pvsStatusPage(status: number): { body: string; contentType: string; headers: Record<string, string> } {
  if (status === 503) return { body: UNAVAILABLE_PAGE, contentType: 'text/html', headers: { 'cache-control': 'no-cache', connection: 'close' } };
  return { body: lighttpdErrorPage(status), contentType: 'text/html', headers: {} };
}

/**
 * Headers of the varserver's FastCGI answers (`/auth`, `/vars`): fcgi_vars prints only `Content-Type:
 * application/json`; lighttpd adds CORS (`setenv`) and its name.
 */
export const VARSERVER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
  'access-control-allow-origin': '*',
  server: 'lighttpd/1.4.51',
});
