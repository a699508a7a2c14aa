//! Translations and locale-aware formatting (placeholder, filled below).
