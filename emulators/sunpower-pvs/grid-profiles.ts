import type { GridProfile } from './protocol/commands.js';

/**
 * Grid profiles as a PVS6 lists them (taken from a captured GridProfileRefresh). `filename` is the
 * first 8 hex digits of the id plus ".meta"; a zip range of -1 means "anywhere".
 */
const RAW: [name: string, id: string, zipMin: number, zipMax: number, selfsupply: boolean][] = [
  ['HECO OMH R14H (Legacy)', '8c9c4170457c88f6dcee7216357681d580a3b9bd', 96701, 96898, true],
  ['HI GSUI OMH R14H 2018', 'f169fe0dc993987c5f105df9d651a284e8031c5a', 96701, 96898, true],
  ['HI GSUI OMH R14H 2018 + V/W', '2d8a06aa4812913510c7955cabaf114e5432fe67', 96701, 96898, true],
  ['IEEE-1547a-2014 + 2020 CA Rule21', '816bf3302d337a42680b996227ddbc46abf9cd05', 90001, 96162, false],
  ['CA CPUC R21 Reactive Power Priority', 'db54e057f901db5d7907af561688f0af555c563d', -1, -1, false],
  ['California CPUC Rule21', '43daefaa4404f4674edd2ad89c175a65f3cebc51', 90001, 96162, false],
  ['La Plata Electric Assn', '954a2a240698d9c006afb72fc93febc622b296eb', 81122, 81147, false],
  ['PECO Voltage Trip High (254V)', '8b82ccd2cfe07c8cc49134fcdcd5edec8845cd5d', 18901, 19640, false],
  ['PECO Voltage Trip High (255V)', '65edfb4c22bc591b1556f910b6d5097dffb30308', 18901, 19640, false],
  ['PECO Voltage Trip High (260V)', 'bec6f3ba13036fea5b7a81b6344308bf40eeaca1', 18901, 19640, false],
  ['PECO PF (-0.95 absorb var)', '962c3f8e614e312c5419dc324ae9593c76b4b46c', 18901, 19640, false],
  ['NYSEG Freq Trip Low (57Hz)', 'cc6a0dfea4be46f083fca5989cea9340e7b51191', 10001, 14999, false],
  ['RG&E Freq Trip Low (57Hz)', '7fdb0b1d2a1f9c483e75197d3b3dd53686d59a53', 10001, 14999, false],
  ['IEEE-1547', 'b88febee0ea30fd3a8ddd9ee840cfde633aed73d', 0, 999999, false],
  ['ISO-NE Ride Through 2018', 'cc09cb85389dc96bfdd2557499e7b93f169fa377', 1001, 2799, false],
  ['United Illuminating PF (1.0 Unity)', '78e96ebc8d19584f3e6858515005d7a894577443', 6001, 6999, false],
  ['United Illuminating PF (0.95 provide var)', '1949f47e8209187d9089f41ca91fafa572bbf63a', 6001, 6999, false],
  ['Xcel Energy PF (1.0 Unity)', '7c23f824b69a5864f851010597e6d7407020db2a', 80001, 81699, false],
  ['Xcel Energy PF (-0.95 absorb var)', 'd36a869eb424e73d36c8b4133592819ce89df94d', 80001, 81699, false],
  ['Xcel Energy PF (0.95 provide var)', 'eb88ba3987f10536bce7eff548953fe1746f5a08', 80001, 81699, false],
  ['IEEE-1547a-2014', '471080f62a24d8be88f58864c398717c11bb876b', 0, 999999, false],
];

export const GRID_PROFILES: readonly GridProfile[] = RAW.map(([name, id, min, max, selfsupply]) => ({
  selfsupply,
  zipcodes: [{ max, min }],
  default: name === 'IEEE-1547',
  filename: `${id.slice(0, 8)}.meta`,
  id,
  name,
}));

/** The profile a Californian site runs (the one the captured GridProfileGet reports). */
export const DEFAULT_ACTIVE_PROFILE_ID = '816bf3302d337a42680b996227ddbc46abf9cd05';
