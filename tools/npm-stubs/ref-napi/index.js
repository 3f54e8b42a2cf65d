throw new Error('ref-napi is not available: Emotion Lens binds libvosk through koffi.');
