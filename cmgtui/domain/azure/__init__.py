"""Azure facts: CMG names, cloud endpoints, regions and VM sizing."""
