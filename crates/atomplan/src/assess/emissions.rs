//! emissions (in progress).
