// SunPower PVS: a request is its method, path and query parameters (Command=…, SerialNumber=…), names and
// values case-sensitive as the firmware reads them (`command=DeviceList` is not DeviceList to it). The order of
// parameters and cache-busters (`_=1718…`, any `_`-prefixed name) do not count; bodies are ignored, as by dl_cgi.
// Unmatched: dl_cgi's answer to an unknown command, lighttpd's 404 page anywhere else.

import { formatCJson } from '../../emulators/sunpower-pvs/protocol/cjson.js';
import { UNKNOWN_COMMAND } from '../../emulators/sunpower-pvs/protocol/commands.js';
import { DL_CGI_HEADERS, lighttpdErrorPage } from '../../emulators/sunpower-pvs/protocol/pages.js';
import { sortItems, type RequestForm } from './form.js';
import type { HttpAnswer, HttpRules, IncomingHttp } from './http-rules.js';

const DL_CGI = '/cgi-bin/dl_cgi';

export function isCacheBuster(name: string): boolean {
  return name.startsWith('_');
}

export const pvsRules: HttpRules = {
  device: 'pvs',
  form(request: IncomingHttp): RequestForm {
    const params = [...new URLSearchParams(request.query)].filter(([name]) => !isCacheBuster(name));
    return { base: `${request.method} ${request.path}`, items: sortItems(params) };
  },
  unmatched(request) {
    if (request.path === DL_CGI) {
      const answer: HttpAnswer = { status: 200, headers: { ...DL_CGI_HEADERS }, body: Buffer.from(formatCJson(UNKNOWN_COMMAND)) };
      return { answer, note: 'as dl_cgi answers an unknown command: {"result":"unknown command"}' };
    }
    const answer: HttpAnswer = {
      status: 404,
      headers: { server: DL_CGI_HEADERS.server!, 'content-type': 'text/html' },
      body: Buffer.from(lighttpdErrorPage(404)),
    };
    return { answer, note: "with lighttpd's 404 page" };
  },
};
