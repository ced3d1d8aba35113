"""Client side: ccmsetup command lines, their lint, and client authentication advice."""
