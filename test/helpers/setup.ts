// Process warnings fail the run: an unexpected warning is a bug we want to see, not scroll past.
process.on('warning', (warning) => {
  throw warning;
});
