/**
 * Enumerations used by lala.cgi values. German names and the English tables come from the seed
 * (ha-senec-v3 developer documentation, firmware 0826); the English STAT_STATE names are our own
 * translations, matching the spellings clients print where the notes quote them
 * (13 BATTERY FULL, 14 CHARGE, 16 DISCHARGE, 17 PV + DISCHARGE, 56 PEAK-SHAVING: WAIT).
 * The Italian STAT_STATE names (served in `/js/IT-it.js`) are our own translations too; the
 * device's wording is not in the seed. They avoid `"`, `}` and "digits followed by a colon", which
 * would break solectrus's parsing of the language files.
 */

export interface StateName {
  readonly de: string;
  readonly en: string;
  readonly it: string;
}

/** The languages the device's web UI ships (`/js/DE-de.js`, `/js/EN-en.js`, `/js/IT-it.js`). */
export type StateLanguage = keyof StateName;

/** `ENERGY.STAT_STATE` (u8), codes 0–98 as given by the seed. Clients know up to 100; 99/100 are not in the seed. */
export const STAT_STATE: Readonly<Record<number, StateName>> = {
  0: { de: 'INITIALZUSTAND', en: 'INITIAL STATE', it: 'STATO INIZIALE' },
  1: { de: 'KEINE KOMMUNIKATION LADEGERAET', en: 'NO COMMUNICATION WITH CHARGER', it: 'NESSUNA COMUNICAZIONE CON IL CARICATORE' },
  2: { de: 'FEHLER LEISTUNGSMESSGERAET', en: 'POWER METER ERROR', it: 'ERRORE MISURATORE DI POTENZA' },
  3: { de: 'RUNDSTEUEREMPFAENGER', en: 'RIPPLE CONTROL RECEIVER', it: 'RICEVITORE DI TELECOMANDO CENTRALIZZATO' },
  4: { de: 'ERSTLADUNG', en: 'INITIAL CHARGE', it: 'CARICA INIZIALE' },
  5: { de: 'WARTUNGSLADUNG', en: 'MAINTENANCE CHARGE', it: 'CARICA DI MANUTENZIONE' },
  6: { de: 'WARTUNGSLADUNG FERTIG', en: 'MAINTENANCE CHARGE FINISHED', it: 'CARICA DI MANUTENZIONE TERMINATA' },
  7: { de: 'WARTUNG NOTWENDIG', en: 'MAINTENANCE REQUIRED', it: 'MANUTENZIONE NECESSARIA' },
  8: { de: 'MAN. SICHERHEITSLADUNG', en: 'MAN. SAFETY CHARGE', it: 'CARICA DI SICUREZZA MAN.' },
  9: { de: 'SICHERHEITSLADUNG FERTIG', en: 'SAFETY CHARGE FINISHED', it: 'CARICA DI SICUREZZA TERMINATA' },
  10: { de: 'VOLLLADUNG', en: 'FULL CHARGE', it: 'CARICA COMPLETA' },
  11: { de: 'AUSGLEICHSLADUNG: LADEN', en: 'EQUALISATION CHARGE: CHARGING', it: 'CARICA DI EQUALIZZAZIONE: CARICA' },
  12: { de: 'SULFATLADUNG: LADEN', en: 'DESULPHATION CHARGE: CHARGING', it: 'CARICA DI DESOLFATAZIONE: CARICA' },
  13: { de: 'AKKU VOLL', en: 'BATTERY FULL', it: 'BATTERIA CARICA' },
  14: { de: 'LADEN', en: 'CHARGE', it: 'CARICA' },
  15: { de: 'AKKU LEER', en: 'BATTERY EMPTY', it: 'BATTERIA SCARICA' },
  16: { de: 'ENTLADEN', en: 'DISCHARGE', it: 'SCARICA' },
  17: { de: 'PV + ENTLADEN', en: 'PV + DISCHARGE', it: 'FV + SCARICA' },
  18: { de: 'NETZ + ENTLADEN', en: 'GRID + DISCHARGE', it: 'RETE + SCARICA' },
  19: { de: 'PASSIV', en: 'PASSIVE', it: 'PASSIVO' },
  20: { de: 'AUSGESCHALTET', en: 'SWITCHED OFF', it: 'SPENTO' },
  21: { de: 'EIGENVERBRAUCH', en: 'SELF-CONSUMPTION', it: 'AUTOCONSUMO' },
  22: { de: 'NEUSTART', en: 'RESTART', it: 'RIAVVIO' },
  23: { de: 'MAN. AUSGLEICHSLADUNG: LADEN', en: 'MAN. EQUALISATION CHARGE: CHARGING', it: 'CARICA DI EQUALIZZAZIONE MAN.: CARICA' },
  24: { de: 'MAN. SULFATLADUNG: LADEN', en: 'MAN. DESULPHATION CHARGE: CHARGING', it: 'CARICA DI DESOLFATAZIONE MAN.: CARICA' },
  25: { de: 'SICHERHEITSLADUNG', en: 'SAFETY CHARGE', it: 'CARICA DI SICUREZZA' },
  26: { de: 'AKKU-SCHUTZBETRIEB', en: 'BATTERY PROTECTION MODE', it: 'MODALITÀ PROTEZIONE BATTERIA' },
  27: { de: 'EG FEHLER', en: 'EG ERROR', it: 'EG ERRORE' },
  28: { de: 'EG LADEN', en: 'EG CHARGE', it: 'EG CARICA' },
  29: { de: 'EG ENTLADEN', en: 'EG DISCHARGE', it: 'EG SCARICA' },
  30: { de: 'EG PASSIV', en: 'EG PASSIVE', it: 'EG PASSIVO' },
  31: { de: 'EG LADEN VERBOTEN', en: 'EG CHARGING PROHIBITED', it: 'EG CARICA VIETATA' },
  32: { de: 'EG ENTLADEN VERBOTEN', en: 'EG DISCHARGING PROHIBITED', it: 'EG SCARICA VIETATA' },
  33: { de: 'NOTLADUNG', en: 'EMERGENCY CHARGE', it: 'CARICA DI EMERGENZA' },
  34: { de: 'SOFTWAREAKTUALISIERUNG', en: 'SOFTWARE UPDATE', it: 'AGGIORNAMENTO SOFTWARE' },
  35: { de: 'FEHLER: NA-SCHUTZ', en: 'ERROR: GRID PROTECTION', it: 'ERRORE: PROTEZIONE DI INTERFACCIA' },
  36: { de: 'FEHLER: NA-SCHUTZ NETZ', en: 'ERROR: GRID PROTECTION (GRID)', it: 'ERRORE: PROTEZIONE DI INTERFACCIA RETE' },
  37: { de: 'FEHLER: NA-SCHUTZ HARDWARE', en: 'ERROR: GRID PROTECTION (HARDWARE)', it: 'ERRORE: PROTEZIONE DI INTERFACCIA HARDWARE' },
  38: { de: 'KEINE SERVERVERBINDUNG', en: 'NO SERVER CONNECTION', it: 'NESSUNA CONNESSIONE AL SERVER' },
  39: { de: 'BMS FEHLER', en: 'BMS ERROR', it: 'ERRORE BMS' },
  40: { de: 'WARTUNG: FILTER', en: 'MAINTENANCE: FILTER', it: 'MANUTENZIONE: FILTRO' },
  41: { de: 'ABSCHALTUNG LITHIUM', en: 'LITHIUM SHUTDOWN', it: 'SPEGNIMENTO LITIO' },
  42: { de: 'WARTE AUF ÜBERSCHUSS', en: 'WAITING FOR SURPLUS', it: 'IN ATTESA DI ECCEDENZA' },
  43: { de: 'KAPAZITÄTSTEST: LADEN', en: 'CAPACITY TEST: CHARGE', it: 'TEST DI CAPACITÀ: CARICA' },
  44: { de: 'KAPAZITÄTSTEST: ENTLADEN', en: 'CAPACITY TEST: DISCHARGE', it: 'TEST DI CAPACITÀ: SCARICA' },
  45: { de: 'MAN. SULFATLADUNG: WARTEN', en: 'MAN. DESULPHATION CHARGE: WAIT', it: 'CARICA DI DESOLFATAZIONE MAN.: ATTESA' },
  46: { de: 'MAN. SULFATLADUNG: FERTIG', en: 'MAN. DESULPHATION CHARGE: FINISHED', it: 'CARICA DI DESOLFATAZIONE MAN.: TERMINATA' },
  47: { de: 'MAN. SULFATLADUNG: FEHLER', en: 'MAN. DESULPHATION CHARGE: ERROR', it: 'CARICA DI DESOLFATAZIONE MAN.: ERRORE' },
  48: { de: 'AUSGLEICHSLADUNG: WARTEN', en: 'EQUALISATION CHARGE: WAIT', it: 'CARICA DI EQUALIZZAZIONE: ATTESA' },
  49: { de: 'NOTLADUNG: FEHLER', en: 'EMERGENCY CHARGE: ERROR', it: 'CARICA DI EMERGENZA: ERRORE' },
  50: { de: 'MAN: AUSGLEICHSLADUNG: WARTEN', en: 'MAN: EQUALISATION CHARGE: WAIT', it: 'MAN: CARICA DI EQUALIZZAZIONE: ATTESA' },
  51: { de: 'MAN: AUSGLEICHSLADUNG: FEHLER', en: 'MAN: EQUALISATION CHARGE: ERROR', it: 'MAN: CARICA DI EQUALIZZAZIONE: ERRORE' },
  52: { de: 'MAN: AUSGLEICHSLADUNG: FERTIG', en: 'MAN: EQUALISATION CHARGE: FINISHED', it: 'MAN: CARICA DI EQUALIZZAZIONE: TERMINATA' },
  53: { de: 'AUTO: SULFATLADUNG: WARTEN', en: 'AUTO: DESULPHATION CHARGE: WAIT', it: 'AUTO: CARICA DI DESOLFATAZIONE: ATTESA' },
  54: { de: 'LADESCHLUSSPHASE', en: 'ABSORPTION PHASE', it: 'FASE DI ASSORBIMENTO' },
  55: { de: 'BATTERIETRENNSCHALTER AUS', en: 'BATTERY DISCONNECT SWITCH OFF', it: 'SEZIONATORE BATTERIA APERTO' },
  56: { de: 'PEAK-SHAVING: WARTEN', en: 'PEAK-SHAVING: WAIT', it: 'PEAK-SHAVING: ATTESA' },
  57: { de: 'FEHLER LADEGERAET', en: 'CHARGER ERROR', it: 'ERRORE CARICATORE' },
  58: { de: 'NPU-FEHLER', en: 'NPU ERROR', it: 'ERRORE NPU' },
  59: { de: 'BMS OFFLINE', en: 'BMS OFFLINE', it: 'BMS OFFLINE' },
  60: { de: 'WARTUNGSLADUNG FEHLER', en: 'MAINTENANCE CHARGE ERROR', it: 'ERRORE CARICA DI MANUTENZIONE' },
  61: { de: 'MAN. SICHERHEITSLADUNG FEHLER', en: 'MAN. SAFETY CHARGE ERROR', it: 'ERRORE CARICA DI SICUREZZA MAN.' },
  62: { de: 'SICHERHEITSLADUNG FEHLER', en: 'SAFETY CHARGE ERROR', it: 'ERRORE CARICA DI SICUREZZA' },
  63: { de: 'KEINE MASTERVERBINDUNG', en: 'NO CONNECTION TO MASTER', it: 'NESSUNA CONNESSIONE AL MASTER' },
  64: { de: 'LITHIUM SICHERHEITSMODUS AKTIV', en: 'LITHIUM SAFE MODE ACTIVE', it: 'MODALITÀ SICURA LITIO ATTIVA' },
  65: { de: 'LITHIUM SICHERHEITSMODUS BEENDET', en: 'LITHIUM SAFE MODE ENDED', it: 'MODALITÀ SICURA LITIO TERMINATA' },
  66: { de: 'FEHLER BATTERIESPANNUNG', en: 'BATTERY VOLTAGE ERROR', it: 'ERRORE TENSIONE BATTERIA' },
  67: { de: 'BMS DC AUSGESCHALTET', en: 'BMS DC SWITCHED OFF', it: 'BMS DC SPENTO' },
  68: { de: 'NETZINITIALISIERUNG', en: 'GRID INITIALISATION', it: 'INIZIALIZZAZIONE RETE' },
  69: { de: 'NETZSTABILISIERUNG', en: 'GRID STABILISATION', it: 'STABILIZZAZIONE RETE' },
  70: { de: 'FERNABSCHALTUNG', en: 'REMOTE SHUTDOWN', it: 'SPEGNIMENTO REMOTO' },
  71: { de: 'OFFPEAK-LADEN', en: 'OFF-PEAK CHARGING', it: 'CARICA FUORI PICCO' },
  72: { de: 'FEHLER HALBBRÜCKE', en: 'HALF-BRIDGE ERROR', it: 'ERRORE SEMIPONTE' },
  73: { de: 'BMS: FEHLER BETRIEBSTEMPERATUR', en: 'BMS: OPERATING TEMPERATURE ERROR', it: 'BMS: ERRORE TEMPERATURA DI ESERCIZIO' },
  74: { de: 'FACTORY SETTINGS NICHT GEFUNDEN', en: 'FACTORY SETTINGS NOT FOUND', it: 'IMPOSTAZIONI DI FABBRICA NON TROVATE' },
  75: { de: 'NETZERSATZBETRIEB', en: 'BACKUP POWER MODE', it: 'FUNZIONAMENTO DI EMERGENZA' },
  76: { de: 'NETZERSATZBETRIEB AKKU LEER', en: 'BACKUP POWER MODE: BATTERY EMPTY', it: 'FUNZIONAMENTO DI EMERGENZA: BATTERIA SCARICA' },
  77: { de: 'NETZERSATZBETRIEB FEHLER', en: 'BACKUP POWER MODE: ERROR', it: 'FUNZIONAMENTO DI EMERGENZA: ERRORE' },
  78: { de: 'INITIALISIERUNG', en: 'INITIALISATION', it: 'INIZIALIZZAZIONE' },
  79: { de: 'INSTALLATIONSMODUS', en: 'INSTALLATION MODE', it: 'MODALITÀ INSTALLAZIONE' },
  80: { de: 'NETZAUSFALL', en: 'GRID FAILURE', it: 'MANCANZA RETE' },
  81: { de: 'BMS UPDATE ERFORDERLICH', en: 'BMS UPDATE REQUIRED', it: 'AGGIORNAMENTO BMS NECESSARIO' },
  82: { de: 'BMS KONFIGURATION ERFORDERLICH', en: 'BMS CONFIGURATION REQUIRED', it: 'CONFIGURAZIONE BMS NECESSARIA' },
  83: { de: 'ISOLATIONSTEST', en: 'INSULATION TEST', it: 'TEST DI ISOLAMENTO' },
  84: { de: 'SELBSTTEST', en: 'SELF-TEST', it: 'AUTOTEST' },
  85: { de: 'EXTERNE STEUERUNG', en: 'EXTERNAL CONTROL', it: 'CONTROLLO ESTERNO' },
  86: { de: 'TEMPERATUR SENSOR FEHLER', en: 'TEMPERATURE SENSOR ERROR', it: 'ERRORE SENSORE DI TEMPERATURA' },
  87: { de: 'NETZBETREIBER: LADEN GESPERRT', en: 'GRID OPERATOR: CHARGING BLOCKED', it: 'GESTORE DI RETE: CARICA BLOCCATA' },
  88: { de: 'NETZBETREIBER: ENTLADEN GESPERRT', en: 'GRID OPERATOR: DISCHARGING BLOCKED', it: 'GESTORE DI RETE: SCARICA BLOCCATA' },
  89: { de: 'RESERVEKAPAZITÄT', en: 'RESERVE CAPACITY', it: 'CAPACITÀ DI RISERVA' },
  90: { de: 'SELBSTTEST FEHLER', en: 'SELF-TEST ERROR', it: 'ERRORE AUTOTEST' },
  91: { de: 'ISOLATIONSFEHLER', en: 'INSULATION FAULT', it: 'GUASTO DI ISOLAMENTO' },
  92: { de: 'PV-MODUS', en: 'PV MODE', it: 'MODALITÀ FV' },
  93: { de: 'FERNABSCHALTUNG NETZBETREIBER', en: 'REMOTE SHUTDOWN BY GRID OPERATOR', it: 'SPEGNIMENTO REMOTO DA GESTORE DI RETE' },
  94: { de: 'FEHLER DRM0', en: 'DRM0 ERROR', it: 'ERRORE DRM0' },
  95: { de: 'BATTERIEDIAGNOSE', en: 'BATTERY DIAGNOSIS', it: 'DIAGNOSI BATTERIA' },
  96: { de: 'BALANCING', en: 'BALANCING', it: 'BILANCIAMENTO' },
  97: { de: 'SICHERHEITSENTLADUNG', en: 'SAFETY DISCHARGE', it: 'SCARICA DI SICUREZZA' },
  98: { de: 'BMS FEHLER - MODULUNGLEICHGEWICHT', en: 'BMS ERROR - MODULE IMBALANCE', it: 'ERRORE BMS - SBILANCIAMENTO MODULI' },
};

/** States solectrus/senec-collector treats as healthy operation (notes §5.5). */
export const STAT_STATE_OK: readonly number[] = [13, 14, 15, 16, 17, 18, 21, 54, 56, 88, 89];

/** `BMS.BMS_STATUS` (u8). The seed's table starts at 1; 0 is not listed. */
export const BMS_STATUS: Readonly<Record<number, string>> = {
  1: 'Warning: cell overvoltage',
  2: 'Alarm: cell overvoltage',
  3: 'Error: cell overvoltage',
  4: 'Warning: cell undervoltage',
  5: 'Alarm: cell undervoltage',
  6: 'Error: cell undervoltage',
  7: 'Alarm: module overvoltage',
  8: 'Alarm: module undervoltage',
  9: 'Error: cell overtemperature',
  10: 'Error: cell undertemperature',
  11: 'Warning: cell overtemperature charging',
  12: 'Alarm: cell overtemperature charging',
  13: 'Warning: cell undertemperature charging',
  14: 'Alarm: cell undertemperature charging',
  15: 'Warning: cell overtemperature discharging',
  16: 'Alarm: cell overtemperature discharging',
  17: 'Warning: cell undertemperature discharging',
  18: 'Alarm: cell undertemperature discharging',
  19: 'Warning: charging current',
  20: 'Alarm: charging current',
  21: 'Warning: discharging current',
  22: 'Alarm: discharging current',
  23: 'Warning: cells imbalanced',
  24: 'Alarm: cells imbalanced',
  25: 'Warning: board temperature too high',
  26: 'Alarm: board temperature too high',
  27: 'Warning: checking temperature difference',
  28: 'Alarm: checking temperature difference',
  29: 'Warning: checking current difference',
  30: 'Alarm: checking current difference',
  31: 'Selftest SCP failed',
};

/** `BAT1.SELFTEST_OVERALL_STATE` and each element of `BAT1.SELFTEST_STATE` (u8). */
export const SELFTEST_RESULT: Readonly<Record<number, string>> = {
  0: 'Undefined',
  1: 'Running',
  2: 'Success',
  3: 'Failed',
  4: 'Never Runned',
  5: 'Not Started',
};

/** Names of the eight self-test steps: index i of the `BAT1.SELFTEST_*` arrays (length 8) is step i. */
export const SELFTEST_STEP: Readonly<Record<number, string>> = {
  0: 'Upper Voltage Limit L1',
  1: 'Lower Voltage Limit L1',
  2: 'Upper Freq Limit L1',
  3: 'Lower Freq Limit L1',
  4: 'Upper 10 Min Avg Limit L1',
  5: 'Ext Upper Freq Limit L1',
  6: 'Ext Lower Freq Limit L1',
  7: 'Lower Voltage Limit 2 L1',
};

/** `STECA.STARTUP` (u1) inverter start-up phase; 272 = RunGrid in normal operation. */
export const STECA_STARTUP: Readonly<Record<number, string>> = {
  0: 'StabilizeMcuSupply',
  16: 'StartHighSidePwm',
  32: 'StartAuxSupply',
  48: 'StartMonitoring',
  64: 'ThermalManagement',
  80: 'StartProtection',
  88: 'CheckIslanding',
  96: 'DegaussRCD',
  112: 'GetAcOffset',
  128: 'SwitchOnRelaisSupply',
  136: 'CheckStrings',
  140: 'EstablishLink',
  141: 'BlackStart',
  144: 'TestAcRelais',
  160: 'TestDcRelais',
  176: 'SwitchOnDcRelais',
  184: 'CheckDcShortcircuitAndPolarity',
  192: 'GetDcOffset',
  208: 'TestRcd',
  224: 'IsolationCheck',
  228: 'SwitchOnENS',
  232: 'ReestablishLink',
  236: 'RecheckIslanding',
  237: 'EstablishIslandingLink',
  238: 'ConfirmIslanding',
  240: 'WaitEnsClearance',
  256: 'EstablishAcVoltage',
  264: 'RunIslanding',
  272: 'RunGrid',
  280: 'CheckShortFault',
  288: 'SafeState',
  304: 'Sleep',
  312: 'SleepAfterIslanding',
  320: 'ShutdownForSleep',
  336: 'SystemReset',
  352: 'WaitForReset',
};

/** Each element of `WALLBOX.STATE` (u8), IEC 61851-style letter plus sub-state in hex. */
export const WALLBOX_STATE: Readonly<Record<number, string>> = {
  0x00: 'invalid state',
  0xa1: 'not connected',
  0xa2: 'not connected',
  0xb1: 'connected',
  0xb2: 'ready',
  0xc2: 'charging',
  0xc3: 'charging with reduced power (high temperature)',
  0xc4: 'charging with reduced power (unbalanced load limitation)',
  0xe0: 'deactivated (enabling contact)',
  0xf1: 'contact error',
  0xf2: 'internal error',
  0xf3: 'fault current detected',
  0xf4: 'EV charger communication error',
  0xf5: 'locking error',
  0xf6: 'cable error',
  0xf7: 'vehicle overtemperature',
  0xf8: 'vehicle communication error',
  0xf9: 'power supply error',
  0xfa: 'temperature too high',
  0xfb: 'contact error',
};

/** `FACTORY.BAT_TYPE`, also used by `BAT1.TYPE` and `WIZARD.DEVICE_BATTERY_TYPE` (u8). */
export const BAT_TYPE: Readonly<Record<number, string>> = {
  0: 'Studer Xtender',
  1: 'SenecBatt',
  2: 'Senec.Inverter V2',
  3: 'SENEC.Inverter V2.1',
  4: 'SENEC.Inverter V3 LV',
};

/** Each element of `PWR_UNIT.TYPE` (u8). */
export const PWR_UNIT_TYPE: Readonly<Record<number, string>> = {
  0: 'N/A',
  1: 'Solarinvert SHKW',
  2: 'SENEC.Heat',
};

/**
 * `FACTORY.SYS_TYPE` (u8), partial: only the codes the notes name (§5.5). 21 is recorded as
 * "V3 hybrid duo LFP" (ha-senec-v3#135); 20 as plain "LFP" in the notes, the model name is inferred.
 */
export const SYS_TYPE: Readonly<Record<number, string>> = {
  15: 'SENEC.Home V2.1 1ph Li',
  17: 'SENEC.Home V3 hybrid',
  18: 'SENEC.Home V3 hybrid duo',
  19: 'SENEC.Home V3 hybrid',
  20: 'SENEC.Home V3 hybrid LFP',
  21: 'SENEC.Home V3 hybrid duo LFP',
};

/** `ENERGY.STAT_STATE` name in the given language, or undefined for a code the seed does not list. */
export function statStateName(code: number, lang: StateLanguage = 'en'): string | undefined {
  return STAT_STATE[code]?.[lang];
}

/** Generic lookup for the single-language tables above. */
export function enumName(table: Readonly<Record<number, string>>, code: number): string | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/** Names of the enum tables a catalogue key can refer to. */
export type EnumRef =
  | 'STAT_STATE'
  | 'BMS_STATUS'
  | 'SELFTEST_RESULT'
  | 'STECA_STARTUP'
  | 'WALLBOX_STATE'
  | 'BAT_TYPE'
  | 'PWR_UNIT_TYPE'
  | 'SYS_TYPE';

const SINGLE_LANGUAGE_TABLES: Readonly<Record<Exclude<EnumRef, 'STAT_STATE'>, Readonly<Record<number, string>>>> = {
  BMS_STATUS,
  SELFTEST_RESULT,
  STECA_STARTUP,
  WALLBOX_STATE,
  BAT_TYPE,
  PWR_UNIT_TYPE,
  SYS_TYPE,
};

/** Label of `code` in the referenced table (STAT_STATE in `lang`), or undefined for an unlisted code. */
export function enumLabel(ref: EnumRef, code: number, lang: StateLanguage = 'en'): string | undefined {
  return ref === 'STAT_STATE' ? statStateName(code, lang) : enumName(SINGLE_LANGUAGE_TABLES[ref], code);
}
