"""gRPC plumbing shared by every server and client: conversion, errors, auth, server setup."""
