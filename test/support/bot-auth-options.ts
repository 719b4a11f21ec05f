/**
 * botbuilder's authentication settings pointed at local stand-ins for Microsoft's: the Bot
 * Connector's token issuer, the bot's sign-in and the OpenID metadata its tokens are checked
 * against. Any parameterized option makes botbuilder take all of them as given, so all are set.
 */
export function localBotAuthOptions(o: { loginUrl: string; issuer: string; metadataUrl: string }) {
  return {
    ValidateAuthority: false,
    ToChannelFromBotLoginUrl: o.loginUrl,
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: o.issuer,
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: o.metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: o.metadataUrl,
    CallerId: 'urn:botframework:azure',
  };
}
