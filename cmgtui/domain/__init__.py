"""Logic over plain values and the profile model: names, certificates, sizing, endpoints,
rules, command lines and scripts. Imports no UI or cloud SDK."""
