// pnpm 12 passes no .npmrc settings to install scripts and its node-gyp ignores `nodedir`:
// without this, hnswlib-node's source build tries to download Node headers and fails offline.
module.exports = {
  hooks: {
    updateConfig(config) {
      config.extraEnv = { ...config.extraEnv, npm_config_nodedir: process.env.npm_config_nodedir || '/usr' };
      return config;
    },
  },
};
