"""Writes for 帮扶, one module per thing: hardship files, programmes, applications (with 公示),
payments and donations. Every service is keyword-only, one transaction, validated and audited."""
