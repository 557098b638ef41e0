"""Unit tests: /usr/bin/python3 -m unittest discover -s clients/python/tests -t clients/python"""
