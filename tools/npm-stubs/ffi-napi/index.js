throw new Error('ffi-napi is not available: Emotion Lens binds libvosk through koffi.');
