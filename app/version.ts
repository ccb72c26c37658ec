// This app's version, as package.json states it (sent to Convot as custom_data.app_version).
import pkg from "../package.json";

export const APP_VERSION: string = pkg.version;
