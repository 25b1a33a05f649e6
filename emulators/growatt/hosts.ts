// The host names the real OpenAPI answers under (protocol notes §1.1): clients hard-code one of
// them, so the emulator's certificate names them all and a hosts entry is all a client needs.

/** Regional production hosts, then the test server of the published docs and demo token. */
export const GROWATT_CLOUD_HOSTS: readonly string[] = [
  'openapi.growatt.com',
  'openapi-cn.growatt.com',
  'openapi-us.growatt.com',
  'openapi-au.growatt.com',
  'test.growatt.com',
];

/** subjectAltNames of the certificate generated at start: the cloud's hosts and loopback. */
export const GROWATT_CERT_NAMES: readonly string[] = [...GROWATT_CLOUD_HOSTS, 'localhost', '127.0.0.1', '::1'];

/** The issuer of that certificate, so a user can tell it apart in a trust store. */
export const GROWATT_CA_COMMON_NAME = 'voltbench Growatt OpenAPI test CA';
