/** Ids shared by package.json contributions and the code that registers them (a unit test keeps them in step). */
export const COMMAND_IDS = {
  analyze: 'emotionLens.analyze',
  analyzeFolder: 'emotionLens.analyzeFolder',
  export: 'emotionLens.export',
  showLog: 'emotionLens.showLog',
  setupModels: 'emotionLens.setupModels',
  chooseVoskModel: 'emotionLens.chooseVoskModel',
  downloadVoskModel: 'emotionLens.downloadVoskModel',
  openReview: 'emotionLens.openReview',
  learnFromCorrections: 'emotionLens.learnFromCorrections',
  compareReviews: 'emotionLens.compareReviews',
} as const;

export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS];

/** The review custom editor (registered by editor/reviewEditorProvider.ts). */
export const REVIEW_VIEW_TYPE = 'emotionLens.review';
/** The compare panel's view type: package.json activates on it so the panel is restored after a reload. */
export const COMPARE_VIEW_TYPE = 'emotionLens.compareReviews';

/** The notebook renderer for annotation documents (src/notebook; its messages: notebookRendererLinks.ts). */
export const NOTEBOOK_RENDERER_ID = 'emotionLens.annotationRenderer';

export const CONFIG_SECTION = 'emotionLens';

export const OUTPUT_CHANNEL_NAME = 'Emotion Lens';

/** Where users find Vosk models to download by hand. */
export const VOSK_MODELS_PAGE = 'https://alphacephei.com/vosk/models';
